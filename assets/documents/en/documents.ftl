## Person-facing documents in English (translated from the Italian).

doc-service = Single Point of Access (PUA)
doc-issued = Issued on { $date } by { $office }
doc-person = For: { $person }
doc-page = Page { $page } of { $pages }
doc-translation-machine = This translation has not yet been reviewed by a mediator. If in doubt, the Italian text prevails.
doc-signature = Signature of the person
doc-operator-signature = Signature of the operator

privacy-title = Information on the processing of personal data
privacy-subtitle = Article 13 of Regulation (EU) 2016/679 (GDPR)
privacy-intro = { $ambito } processes your personal data to give you the services of the Single Point of Access. Here you find who processes them, why, for how long, and what your rights are.
privacy-controller-heading = Who processes your data
privacy-controller = The data controller is { $controller }, { $address }. You can write to { $email }.
privacy-dpo = You can contact the data protection officer at { $dpo }.
privacy-purposes-heading = Why
privacy-purposes = To welcome you, inform you and accompany you to social and health services; to help you with applications for a residence permit, citizenship, registration with the National Health Service, bonuses and allowances; for cultural mediation, legal advice, and guidance towards work and courses.
privacy-basis-heading = On what basis
privacy-basis = The processing is needed for a task in the public interest that the law gives to the municipality and the Ambito (Article 6(1)(e) GDPR). Health data and other special categories of data are processed for reasons of substantial public interest laid down by law (Article 9(2)(g) GDPR and Article 2-sexies of Legislative Decree 196/2003).
privacy-data-heading = Which data
privacy-data = Personal and contact details, identity and residence documents, family and financial situation and, only if needed for the service you ask for, health data.
privacy-recipients-heading = Who we share them with
privacy-recipients = Only with the bodies that must decide on your request, and only the data they need: for example the local health authority (ASL), the Prefecture, the Police Headquarters (Questura), INPS, the municipalities of the Ambito and the services we accompany you to. The data are not published and do not leave the European Union.
privacy-retention-heading = For how long
privacy-retention = For as long as the service needs them, then according to the municipality's document retention plan.
privacy-obligation-heading = If you do not want to give your data
privacy-obligation = Giving your data is not compulsory, but without the necessary data we cannot deal with your case. No decision about you is taken automatically.
privacy-rights-heading = Your rights
privacy-rights = You can ask to see your data and get a copy, to correct them, to erase them or restrict their use where the law allows, and you can object to the processing (Articles 15–21 GDPR). You can find out who looked at your folder and when. Write to the controller or ask the operator.
privacy-complaint-heading = Complaints
privacy-complaint = If you think your data are not processed correctly, you can lodge a complaint with the Italian Data Protection Authority (www.garanteprivacy.it).
privacy-received = I have received this notice in a language I understand.

checklist-title = Documents to bring
checklist-procedure = Application: { $procedure }
checklist-intro = Bring these documents with you, the originals and, if you can, a photocopy:
checklist-nothing = No special documents are needed for this application: bring an identity document, if you have one.
checklist-missing = If you do not have one of these documents, tell the operator: we will look for a solution together.

slip-title = Appointment reminder
slip-when = When
slip-where = Where
slip-what = What for
slip-service = Service
slip-facility = Facility
slip-duration = Length
slip-minutes = { $minutes } minutes
slip-mediator = Mediator
slip-language = Language
slip-booking-code = Booking code
slip-bring = Bring this sheet, an identity document and your health card or STP/ENI card, if you have them.
slip-cancel = If you cannot come, tell the Single Point of Access as soon as possible.
slip-cancelled = This appointment has been cancelled.

receipt-title = Receipt of your request
receipt-intro = The Single Point of Access has received your request.
receipt-request = Request
receipt-opened = Date of the request
receipt-reference = Reference
receipt-protocol = Registration number
receipt-postal = Postal receipt
receipt-deadline = Deadline
receipt-keep = Keep this receipt: you need it to ask about your application.

card-title-stp = STP card — Temporarily Present Foreign National
card-title-eni = ENI card — Unregistered European Citizen
card-code = Code
card-valid-from = Valid from
card-valid-until = Valid until
card-born = Date of birth
card-rights = With this code you are entitled, in the clinics and hospitals of the National Health Service, to urgent and essential care, including continuing care, to care during pregnancy and maternity, to care for children and young people, to vaccinations and to the diagnosis and treatment of infectious diseases.
card-no-report = Asking for this care never leads to any report to the authorities.
card-keep = Always keep this sheet with you and show it to the doctor, at the pharmacy and at the CUP. Before it expires, come back to the Porta Unica d'Accesso to renew it.

declaration-title = Declaration of lack of means
declaration-text = I, the undersigned, holder of the code { $code }, declare that I do not have enough money to pay for the care I need.
declaration-exemption = I therefore ask not to pay the health charge (ticket), as the law provides for people without means.
declaration-valid = This declaration is valid until { $until }, like the code.
declaration-truth = I know that making a false declaration is punished by law (article 76 of Presidential Decree 445/2000).

letter-title = Referral letter
letter-intro = The Porta Unica d'Accesso refers this person to the service named below. Thank you for receiving them.
letter-kind = Kind of service
letter-to = Service
letter-reason = Reason
letter-on = Date
letter-bring = Bring this letter and an identity document, if you have one. If the service cannot see you, come back to the Porta Unica d'Accesso.
letter-feedback = To the service: please let the Porta Unica d'Accesso know how it went.
letter-target-consultorio = Family health centre
letter-target-asl = Local health authority
letter-target-employment_centre = Job centre
letter-target-adult_school = Adult school
letter-target-legal_clinic = Legal advice desk
letter-target-other = Other service
