# Messaggi di errore: ognuno dice che cosa è successo e che cosa fare.

error-settings-unreadable = Il file delle impostazioni { $path } non è leggibile. Correggilo o rinominalo: al prossimo avvio { -product } userà le impostazioni predefinite.
error-settings-unwritable = Non riesco a salvare le impostazioni in { $path }. Controlla che la cartella esista e che tu possa scriverci, poi riprova.
error-data-dir-unavailable = Non trovo una cartella dove tenere i dati. Imposta la variabile PORTA_DATA_DIR con il percorso di una cartella scrivibile e riavvia { -product }.
error-unknown-locale = La lingua «{ $locale }» non è disponibile. Scegli italiano o inglese.
error-internal = Si è verificato un errore imprevisto. Riprova; se succede di nuovo, chiudi e riapri { -product } e avvisa l'assistenza.
error-not-found = L'indirizzo richiesto non esiste su questo server. Controlla l'indirizzo del server nelle impostazioni.
error-passphrase-too-short = La frase segreta deve avere almeno { $min } caratteri. Usa più parole: è più facile da ricordare e più difficile da indovinare.
error-passphrase-too-common = Questa frase segreta è tra le prime che vengono provate da chi vuole entrare. Scegline un'altra, per esempio alcune parole che solo tu associ.
error-unknown-operator = Su questo computer non c'è un operatore con questo nome. Controlla il nome o chiedi all'amministratore di aggiungerti.
error-wrong-passphrase = Frase segreta sbagliata. Tentativi rimasti prima del blocco: { $attempts }.
error-unlock-delayed = Troppi tentativi sbagliati di seguito. Aspetta { $seconds } secondi e riprova.
error-recovery-key-required = Troppi tentativi sbagliati: ora si può sbloccare solo con la chiave di recupero stampata alla prima configurazione.
error-wrong-recovery-key = Questa chiave di recupero non apre l'archivio di questo computer. Controlla di usare il foglio di questo computer.
error-recovery-key-malformed = La chiave di recupero ha 25 lettere e cifre, in cinque gruppi. Ricopiala dal foglio di recupero.
error-recovery-key-mistyped = La chiave di recupero contiene un errore di battitura. Ricontrolla lettera per lettera.
error-key-file-unusable = Il file delle chiavi { $path } manca o è danneggiato. Ripristinalo dalla copia di sicurezza o chiedi aiuto all'assistenza: senza di esso l'archivio non si apre.
error-already-set-up = Questo computer è già configurato: sblocca l'archivio esistente invece di crearne uno nuovo.
error-not-set-up = Su questo computer non c'è ancora un archivio. Esegui la prima configurazione.
error-database-unusable = Non riesco ad aprire l'archivio cifrato { $path }. Chiudi le altre finestre di { -product }, poi riprova; se continua, avvisa l'assistenza.
error-missing-value = Compila il campo «{ $field }»: è obbligatorio.
error-login-taken = Su questo computer c'è già un operatore con questo nome utente. Scegline un altro.
error-not-permitted = Il tuo ruolo non permette questa operazione. Chiedi a un amministratore.
