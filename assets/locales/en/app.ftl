# Porta user interface — English.

-product = Porta
app-title = { -product } — Single Point of Access
app-tagline = Social case folders for access to social and health services

skip-to-content = Skip to main content
nav-label = Main navigation
nav-home = Home
nav-about = About

language-switch-label = Language
language-it = Italiano
language-en = English
language-changed = Language changed to { $language }.

home-heading = Welcome to { -product }
home-intro = { -product } keeps the case folders of the people who come to the immigration desk of the Single Point of Access. It works without a connection and syncs with the Ambito's server when the network is back.
home-today-heading = Today, { $date }
home-today-empty = No appointments today.
home-today-cancelled = cancelled
home-review-heading = To review
home-review-conflicts = { $count ->
    [one] One conflict between edits made on different devices: choose what stays.
   *[other] { $count } conflicts between edits made on different devices: choose what stays.
}
home-review-refused = { $count ->
    [one] One edit refused by the server: see why on the Sync page.
   *[other] { $count } edits refused by the server: see why on the Sync page.
}
home-review-held = { $count ->
    [one] One edit kept by the server for the office that now holds the folder.
   *[other] { $count } edits kept by the server for the office that now holds the folder.
}
home-due-heading = To do
home-due-intro = What falls due in the folders you may read: what is already past first, then the next 30 days.
home-due-empty = Nothing falls due in the next 30 days. New deadlines appear here when you record a document, a practice or a birth.
home-due-more = { $count ->
    [one] There is one more deadline beyond these: deal with the listed ones first.
   *[other] There are { $count } more deadlines beyond these: deal with the listed ones first.
}
home-due-overdue = { $days ->
    [one] overdue since yesterday
   *[other] overdue by { $days } days
}
home-due-today = due today
home-due-days-left = { $days ->
    [one] tomorrow
   *[other] in { $days } days
}
home-due-open = Open { $name }'s folder
urgency-overdue = Overdue
urgency-this_week = This week
urgency-this_month = Within 30 days
urgency-later = Later
home-services-heading = What the desk offers
service-health = National Health Service registration, STP and ENI codes, choice of doctor
service-cup = CUP bookings of visits and tests
service-permit = Residence permit: first request and renewal
service-citizenship = Citizenship applications and the Italian test
service-bonus = Energy bonus, maternity cheque, ISEE
service-legal = Legal advice and paperwork
service-mediation = Linguistic and cultural mediation, at the desk and outdoors
service-work = Guidance towards work, training and language courses

about-heading = About { -product }
about-version = Version
about-ambito = Ambito
about-data-dir = Data folder
about-database = Encrypted store
database-not-created = Not created yet: it will be created at first setup.
database-present = Present ({ $megabytes } MB)

action-retry = Try again
loading = Loading…
footer-text = { -product } — software of the Ambito Territoriale Sociale

field-device-name = Computer name
field-office = Office
field-login = User name
field-display-name = Full name
field-passphrase = Passphrase
field-passphrase-repeat = Repeat the passphrase
field-new-passphrase = New passphrase
field-recovery-key = Recovery key
passphrase-hint = At least 12 characters. Several words together are easy to remember and hard to guess.
passphrases-differ = The two passphrases are not the same. Type them again.

setup-heading = First setup of this computer
setup-intro = Porta encrypts all data on this computer. Name the computer, the office and the first administrator, who can then add the other operators.
setup-device-legend = This computer
setup-admin-legend = Administrator
setup-submit = Create the encrypted store

recovery-heading = Recovery key
recovery-intro = This key opens the store if every passphrase is forgotten. It is shown only now: print it or copy it out and keep it somewhere safe in the office, away from the computer.
recovery-print = Print
recovery-confirm = I have printed or copied the recovery key
recovery-continue = Continue

unlock-heading = Unlock { -product }
unlock-intro = The store is encrypted. Choose your user name and type your passphrase.
unlock-submit = Unlock
unlock-forgot = I forgot my passphrase
unlock-first-access = First access with the activation code
unlock-opening = Opening the store… After an update of { -product } the first opening can take a few minutes: do not close the window.
activate-heading = First access on this device
activate-intro = Choose your login, type the activation code the administrator gave you, and choose the passphrase you will use on this device.
activate-submit = Activate and unlock
field-activation-code = Activation code

reset-heading = New passphrase with the recovery key
reset-intro = Type the recovery key printed at first setup and choose a new passphrase.
reset-submit = Unlock and change the passphrase
reset-back = Back to unlock

session-operator = { $name } ({ $role })
session-lock = Lock
session-locked-idle = For safety the store locks after { $minutes } minutes without activity.
session-health-key-missing = Health content on this computer is encrypted and the key to open it is not here for you yet. Ask the administrator for a new activation code and use it at your next sign-in: until then you do not see it.

role-administrator = administrator
role-coordinator = coordinator
role-operator = front-office operator
role-mediator = cultural mediator
role-health-liaison = health liaison
role-statistics-reader = statistics
field-family-name = Family name
field-given-names = Given names
field-aliases = Other spellings of the name
field-birth-date = Date of birth
field-birth-country = Country of birth
field-citizenships = Citizenships
field-preferred-language = Preferred language
field-phone = Phone
field-codice-fiscale = Codice fiscale
field-note-text = Note text
field-value = Value
field-text = Text
field-confidentiality = Confidentiality
field-sex = Sex
field-birth-place = Place of birth
field-stateless = Stateless
field-protection = International protection
field-languages = Languages spoken
field-email = E-mail
field-stp = STP code
field-eni = ENI code
field-domicile = Domicile
field-residence = Registered residence
field-member = Household member
field-relation = Relation to the head
field-kind = Type
field-number = Number
field-issued-by = Issued by
field-issued-on = Issue date
field-expires-on = Expiry date
field-permit-reason = Reason for the permit
field-renewal-requested-on = Renewal requested on
field-isee-value-cents = ISEE value
field-protocol = Protocol
field-document = Document
field-file-name = File name
field-content-type = File type
field-size-bytes = Size
field-sha256 = File fingerprint
field-given-on = Date
field-language = Language
field-withdrawn-on = Withdrawn on
field-recorded-by = Recorded by
field-category = Category
field-description = Description
field-raised-on = Date of the request
field-resolved = Resolved
field-template = Procedure
field-need = Request
field-status = Status
field-opened-on = Opened on
field-deadline = Deadline
field-steps-done = Steps done
field-protocol-number = Protocol number
field-postal-receipt = Postal receipt
field-booking-code = Booking code
field-outcome-note = Notes on the outcome
field-outcome-on = Outcome date
field-at = Date and time
field-place = Place
field-purpose = Purpose
field-cup = CUP booking
field-cup-service = Service booked
field-cup-facility = Facility
field-cancelled = Cancelled
field-on = Date
field-place-kind = Kind of place
field-mediator = Mediator
field-duration-minutes = Duration in minutes
field-services = Services given
field-people = People met
field-note = Short note
field-target = Referred to
field-service-name = Name of the service
field-reason = Reason
field-feedback = Feedback

nav-sync = Sync
sync-heading = Sync with the Ambito's server
sync-intro = Folders stay on this computer and work without a network. When there is a connection, { -product } sends them to the Ambito's server and receives the other offices' by itself, every few minutes and right after each save.
sync-enroll-heading = Turn on sync
sync-enroll-intro = Ask the Ambito's administrator for the server address and an enrollment code for this computer. The code is valid for 10 minutes and works once.
field-server-url = Server address
field-server-url-hint = For example https://porta.ambito.example
field-enrollment-code = Enrollment code
field-enrollment-code-hint = Sixteen characters, for example ZJW9-B11N-V7ZG-4RTA
action-enroll = Enroll
action-sync-now = Sync now
sync-enrollment-heading = This computer
sync-reenroll-heading = Connect again
sync-reenroll-intro = For when the server has a new address or certificate, or this computer's key was lost. First the Ambito's administrator disconnects the computer on the server (porta-server devices forget) and prepares a new code; the folders stay here and sync goes on where it was. The new connection is recorded.
sync-reenroll-confirm = I confirm that this computer is to be connected to the Ambito's server again
action-reenroll = Connect again
sync-reenrolled = Connected again on { $when }: from { $from } to { $to }
sync-server = Server
sync-device = Device name
sync-office = Office
sync-certificate = Server certificate (SHA-256)
sync-certificate-none = None: the server is on this computer, without TLS
sync-status-heading = Status
sync-state = State
sync-state-starting = Starting
sync-state-not_enrolled = Not enrolled
sync-state-locked = Waiting for unlock
sync-state-syncing = Syncing
sync-state-up_to_date = Up to date
sync-state-offline = No connection: will retry by itself
sync-state-failing = The server refuses: will retry by itself
sync-state-stopped = Stopped
sync-waiting = Changes waiting to be sent
sync-last-success = Last successful sync
sync-never = Never
sync-rejected = Changes refused by the server
sync-held = Changes to folders that moved to another office before they arrived: { $count }. They are not lost: the Ambito's server keeps them, and the administrator delivers them to the office that now holds the folder.
sync-scans = Scans on their way
sync-scans-counts = to send to the server: { $out }; coming to this computer: { $in }
sync-pulling = Data coming from the server: { $percent }%
sync-pulling-estimating = Working out how long it will take…
sync-pulling-remaining = { $minutes ->
    [one] About a minute left. Porta can be used meanwhile.
   *[other] About { $minutes } minutes left. Porta can be used meanwhile.
}
sync-update-ready-heading = Version { $version } of { -product } is ready
sync-update-ready = It is installed the next time { -product } starts: the work in progress is not interrupted. To install it now, save, close { -product } and open it again.
sync-update-notes = Notes from the Ambito:
sync-conflicts = Conflicts to review
sync-clock-ahead = This computer's clock is { $minutes } minutes ahead of the server's: { -product } uses the server's time to sign and date changes. If you can, have the computer's time corrected.
sync-clock-behind = This computer's clock is { $minutes } minutes behind the server's: { -product } uses the server's time to sign and date changes. If you can, have the computer's time corrected.

conflicts-heading = Conflicts to review
conflicts-intro = The same data was changed on two devices while they were not connected. No version was lost: choose the right one and the choice will reach the other devices too.
conflicts-none = There are no conflicts to review.
conflicts-field = { $person }: { $field }
conflicts-deletion = { $person }: deleted on one device and changed on another
conflicts-written-at = written on { $when }
conflicts-keep = Keep this
conflicts-restore = Restore
conflicts-confirm-deletion = Confirm the deletion
conflicts-settled = { $count ->
    [one] One conflict settled.
   *[other] { $count } conflicts settled.
}
sync-conflicts-review = Review
unsaved-leave-question = This page has unsaved changes. Leave without saving them?
unsaved-stay = Stay here
unsaved-leave = Leave without saving
unsaved-lock-question = There are unsaved changes: locking loses them.
unsaved-lock-anyway = Lock anyway
