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
home-today-heading = Oggi, { $date }
home-today-empty = Nessun appuntamento per oggi.
home-today-cancelled = annullato
home-review-heading = Da rivedere
home-review-conflicts = { $count ->
    [one] Un conflitto tra modifiche fatte su dispositivi diversi: scegli cosa tenere.
   *[other] { $count } conflitti tra modifiche fatte su dispositivi diversi: scegli cosa tenere.
}
home-review-refused = { $count ->
    [one] Una modifica rifiutata dal server: guarda perché nella pagina Sincronizzazione.
   *[other] { $count } modifiche rifiutate dal server: guarda perché nella pagina Sincronizzazione.
}
home-review-held = { $count ->
    [one] Una modifica conservata dal server per l'ufficio che ora ha la scheda.
   *[other] { $count } modifiche conservate dal server per l'ufficio che ora ha la scheda.
}
home-due-heading = Da fare
home-due-intro = Le scadenze delle cartelle che puoi leggere: quelle già passate per prime, poi i prossimi 30 giorni.
home-due-empty = Nessuna scadenza nei prossimi 30 giorni. Le nuove compaiono qui quando registri un documento, una pratica o una nascita.
home-due-more = { $count ->
    [one] C'è ancora una scadenza oltre a queste: completa prima quelle in elenco.
   *[other] Ci sono ancora { $count } scadenze oltre a queste: completa prima quelle in elenco.
}
home-due-overdue = { $days ->
    [one] scaduta ieri
   *[other] scaduta da { $days } giorni
}
home-due-today = scade oggi
home-due-days-left = { $days ->
    [one] domani
   *[other] tra { $days } giorni
}
home-due-open = Apri la cartella di { $name }
urgency-overdue = Scaduta
urgency-this_week = Questa settimana
urgency-this_month = Entro 30 giorni
urgency-later = Più avanti
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
unlock-first-access = Primo accesso con il codice di attivazione
unlock-opening = Apertura dell'archivio… Dopo un aggiornamento di { -product } la prima apertura può durare qualche minuto: non chiudere la finestra.
activate-heading = Primo accesso su questo dispositivo
activate-intro = Scegli il tuo nome utente, scrivi il codice di attivazione che ti ha dato l'amministratore e scegli la frase segreta che userai su questo dispositivo.
activate-submit = Attiva e sblocca
field-activation-code = Codice di attivazione

reset-heading = Nuova frase segreta con la chiave di recupero
reset-intro = Scrivi la chiave di recupero stampata alla prima configurazione e scegli una nuova frase segreta.
reset-submit = Sblocca e cambia la frase segreta
reset-back = Torna allo sblocco

session-operator = { $name } ({ $role })
session-lock = Blocca
session-locked-idle = Per sicurezza l'archivio si blocca dopo { $minutes } minuti senza attività.
session-health-key-missing = I contenuti sanitari su questo computer sono cifrati e la chiave per aprirli non è ancora qui per te. Chiedi all'amministratore un nuovo codice di attivazione e usalo al prossimo accesso: fino ad allora non li vedi.

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
field-value = Valore
field-text = Testo
field-confidentiality = Riservatezza
field-sex = Sesso
field-birth-place = Luogo di nascita
field-stateless = Apolide
field-protection = Protezione internazionale
field-languages = Lingue parlate
field-email = Posta elettronica
field-stp = Codice STP
field-eni = Codice ENI
field-domicile = Domicilio
field-residence = Residenza
field-member = Componente del nucleo
field-relation = Relazione con l'intestatario
field-kind = Tipo
field-number = Numero
field-issued-by = Rilasciato da
field-issued-on = Data di rilascio
field-expires-on = Data di scadenza
field-permit-reason = Motivo del permesso
field-renewal-requested-on = Data della richiesta di rinnovo
field-isee-value-cents = Valore ISEE
field-protocol = Protocollo
field-document = Documento
field-file-name = Nome del file
field-content-type = Tipo di file
field-size-bytes = Dimensione
field-sha256 = Impronta del file
field-given-on = Data
field-language = Lingua
field-withdrawn-on = Data di revoca
field-recorded-by = Registrato da
field-category = Categoria
field-description = Descrizione
field-raised-on = Data della richiesta
field-resolved = Risolto
field-template = Procedura
field-need = Richiesta
field-status = Stato
field-opened-on = Data di apertura
field-deadline = Scadenza
field-steps-done = Passi completati
field-protocol-number = Numero di protocollo
field-postal-receipt = Ricevuta postale
field-booking-code = Codice di prenotazione
field-outcome-note = Note sull'esito
field-outcome-on = Data dell'esito
field-at = Data e ora
field-place = Luogo
field-purpose = Motivo
field-cup = Prenotazione CUP
field-cup-service = Prestazione prenotata
field-cup-facility = Struttura
field-cancelled = Annullato
field-on = Data
field-place-kind = Tipo di luogo
field-mediator = Mediatore
field-duration-minutes = Durata in minuti
field-services = Servizi resi
field-people = Persone incontrate
field-note = Nota breve
field-target = Servizio di destinazione
field-service-name = Nome del servizio
field-reason = Motivo
field-feedback = Riscontro

nav-sync = Sincronizzazione
sync-heading = Sincronizzazione con il server dell'Ambito
sync-intro = Le schede restano su questo computer e funzionano anche senza rete. Quando c'è connessione, { -product } le invia al server dell'Ambito e riceve quelle degli altri uffici, da solo, ogni pochi minuti e subito dopo ogni salvataggio.
sync-enroll-heading = Attiva la sincronizzazione
sync-enroll-intro = Chiedi all'amministratore dell'Ambito l'indirizzo del server e un codice di attivazione per questo computer. Il codice vale 10 minuti e si usa una volta sola.
field-server-url = Indirizzo del server
field-server-url-hint = Per esempio https://porta.ambito.example
field-enrollment-code = Codice di attivazione
field-enrollment-code-hint = Sedici caratteri, per esempio ZJW9-B11N-V7ZG-4RTA
action-enroll = Attiva
action-sync-now = Sincronizza ora
sync-enrollment-heading = Questo computer
sync-reenroll-heading = Collega di nuovo
sync-reenroll-intro = Serve quando il server ha cambiato indirizzo o certificato, o quando la chiave di questo computer è andata persa. Prima l'amministratore dell'Ambito scollega il computer dal server (porta-server devices forget) e prepara un nuovo codice; le schede restano qui e la sincronizzazione riprende da dove era. Il nuovo collegamento resta registrato.
sync-reenroll-confirm = Confermo di voler collegare di nuovo questo computer al server dell'Ambito
action-reenroll = Collega di nuovo
sync-reenrolled = Collegato di nuovo il { $when }: da { $from } a { $to }
sync-server = Server
sync-device = Nome del dispositivo
sync-office = Ufficio
sync-certificate = Certificato del server (SHA-256)
sync-certificate-none = Nessuno: il server è su questo computer, senza TLS
sync-status-heading = Stato
sync-state = Stato
sync-state-starting = In avvio
sync-state-not_enrolled = Non attivato
sync-state-locked = In attesa dello sblocco
sync-state-syncing = Sincronizzazione in corso
sync-state-up_to_date = Aggiornato
sync-state-offline = Senza connessione: riprova da solo
sync-state-failing = Il server rifiuta: riprova da solo
sync-state-stopped = Fermato
sync-waiting = Modifiche da inviare
sync-last-success = Ultima sincronizzazione riuscita
sync-never = Mai
sync-rejected = Modifiche rifiutate dal server
sync-held = Modifiche a schede passate a un altro ufficio prima che arrivassero: { $count }. Non sono andate perse: il server dell'Ambito le conserva, e l'amministratore le consegna all'ufficio che ora ha la scheda.
sync-scans = Scansioni in viaggio
sync-scans-counts = da inviare al server: { $out }; in arrivo su questo computer: { $in }
sync-pulling = Dati in arrivo dal server: { $percent }%
sync-pulling-estimating = Calcolo del tempo che manca…
sync-pulling-remaining = { $minutes ->
    [one] Manca circa un minuto. Porta si può usare intanto.
   *[other] Mancano circa { $minutes } minuti. Porta si può usare intanto.
}
sync-update-ready-heading = È pronta la versione { $version } di { -product }
sync-update-ready = Verrà installata al prossimo avvio di { -product }: il lavoro in corso non viene interrotto. Per installarla subito, salva, chiudi { -product } e riaprilo.
sync-update-notes = Note dell'Ambito:
sync-conflicts = Conflitti da rivedere
sync-clock-ahead = L'orologio di questo computer è avanti di { $minutes } minuti rispetto al server: { -product } usa l'ora del server per firmare e datare le modifiche. Se puoi, chiedi di correggere l'ora del computer.
sync-clock-behind = L'orologio di questo computer è indietro di { $minutes } minuti rispetto al server: { -product } usa l'ora del server per firmare e datare le modifiche. Se puoi, chiedi di correggere l'ora del computer.

conflicts-heading = Conflitti da rivedere
conflicts-intro = Lo stesso dato è stato cambiato su due dispositivi mentre non erano collegati. Nessuna versione è andata persa: scegli quella giusta e la scelta arriverà anche agli altri dispositivi.
conflicts-none = Non ci sono conflitti da rivedere.
conflicts-field = { $person }: { $field }
conflicts-deletion = { $person }: eliminato su un dispositivo e modificato su un altro
conflicts-written-at = scritto il { $when }
conflicts-keep = Tieni questo
conflicts-restore = Ripristina
conflicts-confirm-deletion = Conferma l'eliminazione
conflicts-settled = { $count ->
    [one] Un conflitto risolto.
   *[other] { $count } conflitti risolti.
}
sync-conflicts-review = Rivedi
unsaved-leave-question = In questa pagina ci sono modifiche non salvate. Uscire senza salvarle?
unsaved-stay = Resta qui
unsaved-leave = Esci senza salvare
unsaved-lock-question = Ci sono modifiche non salvate: bloccando si perdono.
unsaved-lock-anyway = Blocca comunque
