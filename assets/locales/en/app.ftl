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
