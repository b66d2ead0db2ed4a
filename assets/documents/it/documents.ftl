## Documenti per la persona: il testo originale. Le altre lingue traducono questi messaggi.

doc-service = Porta Unica d'Accesso (PUA)
doc-issued = Rilasciato il { $date } da { $office }
doc-person = Per: { $person }
doc-page = Pagina { $page } di { $pages }
doc-translation-machine = Questa traduzione non è ancora stata rivista da un mediatore. In caso di dubbio vale il testo italiano.
doc-signature = Firma della persona
doc-operator-signature = Firma dell'operatore

privacy-title = Informativa sul trattamento dei dati personali
privacy-subtitle = Articolo 13 del Regolamento (UE) 2016/679 (GDPR)
privacy-intro = { $ambito } tratta i tuoi dati personali per darti i servizi della Porta Unica d'Accesso. Qui trovi chi li tratta, perché, per quanto tempo e quali sono i tuoi diritti.
privacy-controller-heading = Chi tratta i tuoi dati
privacy-controller = Il titolare del trattamento è { $controller }, { $address }. Puoi scrivere a { $email }.
privacy-dpo = Puoi contattare il responsabile della protezione dei dati all'indirizzo { $dpo }.
privacy-purposes-heading = Perché
privacy-purposes = Per accoglierti, informarti e accompagnarti ai servizi sociali e sanitari; per aiutarti nelle pratiche per il permesso di soggiorno, la cittadinanza, l'iscrizione al Servizio sanitario nazionale, i bonus e gli assegni; per la mediazione culturale, la consulenza legale e l'orientamento al lavoro e ai corsi.
privacy-basis-heading = Su quale base
privacy-basis = Il trattamento serve a un compito di interesse pubblico che la legge affida al Comune e all'Ambito (articolo 6, paragrafo 1, lettera e del GDPR). I dati sulla salute e gli altri dati particolari sono trattati per motivi di interesse pubblico rilevante previsti dalla legge (articolo 9, paragrafo 2, lettera g del GDPR e articolo 2-sexies del decreto legislativo 196/2003).
privacy-data-heading = Quali dati
privacy-data = Dati anagrafici e di contatto, documenti di identità e di soggiorno, situazione familiare ed economica e, solo se servono per il servizio che chiedi, dati sulla salute.
privacy-recipients-heading = A chi li comunichiamo
privacy-recipients = Solo agli enti che devono decidere sulla tua richiesta e solo i dati necessari: per esempio l'Azienda sanitaria locale, la Prefettura, la Questura, l'INPS, i Comuni dell'Ambito e i servizi a cui ti accompagniamo. I dati non sono pubblicati e non escono dall'Unione europea.
privacy-retention-heading = Per quanto tempo
privacy-retention = Per il tempo necessario al servizio, poi secondo il piano di conservazione dei documenti del Comune.
privacy-obligation-heading = Se non vuoi dare i tuoi dati
privacy-obligation = Dare i dati non è obbligatorio, ma senza i dati necessari non possiamo seguire la tua pratica. Nessuna decisione che ti riguarda è presa in modo automatico.
privacy-rights-heading = I tuoi diritti
privacy-rights = Puoi chiedere di vedere i tuoi dati e di averne una copia, di correggerli, di cancellarli o di limitarne l'uso quando la legge lo permette, e puoi opporti al trattamento (articoli 15–21 del GDPR). Puoi sapere chi ha consultato la tua cartella e quando. Scrivi al titolare o chiedi all'operatore.
privacy-complaint-heading = Reclamo
privacy-complaint = Se pensi che i tuoi dati siano trattati in modo non corretto, puoi fare reclamo al Garante per la protezione dei dati personali (www.garanteprivacy.it).
privacy-received = Ho ricevuto questa informativa in una lingua che capisco.

checklist-title = Documenti da portare
checklist-procedure = Pratica: { $procedure }
checklist-intro = Porta con te questi documenti, in originale e, se puoi, in fotocopia:
checklist-nothing = Per questa pratica non servono documenti particolari: porta un documento d'identità, se ne hai uno.
checklist-missing = Se non hai uno di questi documenti, dillo all'operatore: cerchiamo insieme una soluzione.

slip-title = Promemoria dell'appuntamento
slip-when = Quando
slip-where = Dove
slip-what = Per cosa
slip-service = Prestazione
slip-facility = Struttura
slip-duration = Durata
slip-minutes = { $minutes } minuti
slip-mediator = Mediatore o mediatrice
slip-language = Lingua
slip-booking-code = Codice di prenotazione
slip-bring = Porta questo foglio, un documento d'identità e la tessera sanitaria o il tesserino STP/ENI, se li hai.
slip-cancel = Se non puoi venire, avvisa la Porta Unica d'Accesso il prima possibile.
slip-cancelled = Questo appuntamento è stato annullato.

receipt-title = Ricevuta della richiesta
receipt-intro = La Porta Unica d'Accesso ha ricevuto la tua richiesta.
receipt-request = Richiesta
receipt-opened = Data della richiesta
receipt-reference = Riferimento
receipt-protocol = Numero di protocollo
receipt-postal = Ricevuta postale
receipt-deadline = Scadenza
receipt-keep = Conserva questa ricevuta: ti serve per chiedere notizie della pratica.

card-title-stp = Tesserino STP — Straniero Temporaneamente Presente
card-title-eni = Tesserino ENI — Europeo Non Iscritto
card-code = Codice
card-valid-from = Valido dal
card-valid-until = Valido fino al
card-born = Data di nascita
card-rights = Con questo codice hai diritto, negli ambulatori e negli ospedali del Servizio sanitario nazionale, alle cure urgenti ed essenziali, anche continuative, alle cure in gravidanza e per la maternità, alle cure per i bambini e i ragazzi, alle vaccinazioni e alla diagnosi e cura delle malattie infettive.
card-no-report = Chiedere queste cure non comporta nessuna segnalazione alle autorità.
card-keep = Porta sempre con te questo foglio e mostralo al medico, in farmacia e al CUP. Prima della scadenza torna alla Porta Unica d'Accesso per rinnovarlo.

declaration-title = Dichiarazione di indigenza
declaration-text = Io sottoscritto/a, titolare del codice { $code }, dichiaro di non avere risorse economiche sufficienti per pagare le cure di cui ho bisogno.
declaration-exemption = Chiedo quindi di non pagare il ticket sanitario, come la legge prevede per chi non ha risorse.
declaration-valid = Questa dichiarazione vale fino al { $until }, come il codice.
declaration-truth = So che chi dichiara il falso è punito dalla legge (articolo 76 del DPR 445/2000).

letter-title = Lettera di accompagnamento
letter-intro = La Porta Unica d'Accesso accompagna questa persona al servizio indicato qui sotto. Grazie per l'accoglienza.
letter-kind = Tipo di servizio
letter-to = Servizio
letter-reason = Motivo
letter-on = Data
letter-bring = Porta questa lettera e un documento d'identità, se ne hai uno. Se il servizio non può riceverti, torna alla Porta Unica d'Accesso.
letter-feedback = Al servizio: per favore fate sapere alla Porta Unica d'Accesso com'è andata.
letter-target-consultorio = Consultorio familiare
letter-target-asl = Azienda sanitaria locale
letter-target-employment_centre = Centro per l'impiego
letter-target-adult_school = Scuola per adulti
letter-target-legal_clinic = Sportello legale
letter-target-other = Altro servizio
