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

reset-heading = New passphrase with the recovery key
reset-intro = Type the recovery key printed at first setup and choose a new passphrase.
reset-submit = Unlock and change the passphrase
reset-back = Back to unlock

session-operator = { $name } ({ $role })
session-lock = Lock
session-locked-idle = For safety the store locks after { $minutes } minutes without activity.

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
