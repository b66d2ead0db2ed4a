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
