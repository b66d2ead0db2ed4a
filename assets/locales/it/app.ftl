# Interfaccia di Porta — italiano (lingua predefinita).

-product = Porta
app-title = { -product } — Porta Unica d'Accesso
app-tagline = Cartella sociale per l'accesso ai servizi sociali e sanitari

skip-to-content = Vai al contenuto principale
nav-label = Navigazione principale
nav-home = Home
nav-about = Informazioni

language-switch-label = Lingua
language-it = Italiano
language-en = English
language-changed = Lingua cambiata in { $language }.

home-heading = Benvenuta, benvenuto in { -product }
home-intro = { -product } tiene le cartelle sociali delle persone che si rivolgono allo sportello immigrazione della Porta Unica d'Accesso. Funziona anche senza connessione e si sincronizza con il server dell'Ambito quando la rete torna disponibile.
home-services-heading = I servizi dello sportello
service-health = Iscrizione al Servizio Sanitario Nazionale, codici STP ed ENI, scelta del medico
service-cup = Prenotazioni CUP di visite ed esami
service-permit = Permesso di soggiorno: richiesta e rinnovo
service-citizenship = Domanda di cittadinanza e test di italiano
service-bonus = Bonus luce e gas, assegno di maternità, ISEE
service-legal = Consulenza legale e pratiche burocratiche
service-mediation = Mediazione linguistico-culturale, in sede e all'esterno
service-work = Orientamento al lavoro e ai corsi di formazione e di lingua

about-heading = Informazioni su { -product }
about-version = Versione
about-ambito = Ambito
about-data-dir = Cartella dei dati
about-database = Archivio cifrato
database-not-created = Non ancora creato: verrà creato alla prima configurazione.
database-present = Presente ({ $megabytes } MB)

action-retry = Riprova
loading = Caricamento in corso…
footer-text = { -product } — software dell'Ambito Territoriale Sociale

field-device-name = Nome del computer
field-office = Ufficio
field-login = Nome utente
field-display-name = Nome e cognome
field-passphrase = Frase segreta
field-passphrase-repeat = Ripeti la frase segreta
field-new-passphrase = Nuova frase segreta
field-recovery-key = Chiave di recupero
passphrase-hint = Almeno 12 caratteri. Più parole insieme sono facili da ricordare e difficili da indovinare.
passphrases-differ = Le due frasi segrete non sono uguali. Riscrivile.

setup-heading = Prima configurazione di questo computer
setup-intro = Porta cifra tutti i dati su questo computer. Indica il computer, l'ufficio e la prima persona amministratrice: potrà poi aggiungere gli altri operatori.
setup-device-legend = Questo computer
setup-admin-legend = Amministratrice o amministratore
setup-submit = Crea l'archivio cifrato

recovery-heading = Chiave di recupero
recovery-intro = Questa chiave apre l'archivio se tutte le frasi segrete vengono dimenticate. Viene mostrata solo ora: stampala o ricopiala e conservala in un luogo sicuro dell'ufficio, lontano dal computer.
recovery-print = Stampa
recovery-confirm = Ho stampato o ricopiato la chiave di recupero
recovery-continue = Continua

unlock-heading = Sblocca { -product }
unlock-intro = L'archivio è cifrato. Scegli il tuo nome utente e scrivi la tua frase segreta.
unlock-submit = Sblocca
unlock-forgot = Ho dimenticato la frase segreta

reset-heading = Nuova frase segreta con la chiave di recupero
reset-intro = Scrivi la chiave di recupero stampata alla prima configurazione e scegli una nuova frase segreta.
reset-submit = Sblocca e cambia la frase segreta
reset-back = Torna allo sblocco

session-operator = { $name } ({ $role })
session-lock = Blocca
session-locked-idle = Per sicurezza l'archivio si blocca dopo { $minutes } minuti senza attività.

role-administrator = amministratore
role-coordinator = coordinamento
role-operator = operatore di sportello
role-mediator = mediazione culturale
role-health-liaison = referente sanitario
role-statistics-reader = statistiche
field-family-name = Cognome
field-given-names = Nome
field-aliases = Altre grafie del nome
field-birth-date = Data di nascita
field-birth-country = Stato di nascita
field-citizenships = Cittadinanze
field-preferred-language = Lingua preferita
field-phone = Telefono
field-codice-fiscale = Codice fiscale
field-note-text = Testo della nota
