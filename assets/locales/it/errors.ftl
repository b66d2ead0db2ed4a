# Messaggi di errore: ognuno dice che cosa è successo e che cosa fare.

error-settings-unreadable = Il file delle impostazioni { $path } non è leggibile. Correggilo o rinominalo: al prossimo avvio { -product } userà le impostazioni predefinite.
error-settings-unwritable = Non riesco a salvare le impostazioni in { $path }. Controlla che la cartella esista e che tu possa scriverci, poi riprova.
error-data-dir-unavailable = Non trovo una cartella dove tenere i dati. Imposta la variabile PORTA_DATA_DIR con il percorso di una cartella scrivibile e riavvia { -product }.
error-unknown-locale = La lingua «{ $locale }» non è disponibile. Scegli italiano o inglese.
error-internal = Si è verificato un errore imprevisto. Riprova; se succede di nuovo, chiudi e riapri { -product } e avvisa l'assistenza.
error-not-found = L'indirizzo richiesto non esiste su questo server. Controlla l'indirizzo del server nelle impostazioni.
