## Dokumente për personin, në shqip (përkthyer nga italishtja).

doc-service = Pika e Vetme e Aksesit (PUA)
doc-issued = Lëshuar më { $date } nga { $office }
doc-person = Për: { $person }
doc-page = Faqja { $page } nga { $pages }
doc-translation-machine = Ky përkthim nuk është rishikuar ende nga një ndërmjetës. Në rast dyshimi, vlen teksti italisht.
doc-signature = Nënshkrimi i personit
doc-operator-signature = Nënshkrimi i operatorit

privacy-title = Informacion për përpunimin e të dhënave personale
privacy-subtitle = Neni 13 i Rregullores (BE) 2016/679 (GDPR)
privacy-intro = { $ambito } përpunon të dhënat e tua personale për të të ofruar shërbimet e Pikës së Vetme të Aksesit. Këtu gjen kush i përpunon, pse, për sa kohë dhe cilat janë të drejtat e tua.
privacy-controller-heading = Kush i përpunon të dhënat e tua
privacy-controller = Kontrolluesi i të dhënave është { $controller }, { $address }. Mund të shkruash në { $email }.
privacy-dpo = Mund të kontaktosh nëpunësin për mbrojtjen e të dhënave në adresën { $dpo }.
privacy-purposes-heading = Pse
privacy-purposes = Për të të pritur, informuar dhe shoqëruar te shërbimet sociale dhe shëndetësore; për të të ndihmuar me kërkesat për lejen e qëndrimit, shtetësinë, regjistrimin në Shërbimin Kombëtar Shëndetësor, bonuset dhe ndihmat; për ndërmjetësimin kulturor, këshillimin ligjor dhe orientimin drejt punës dhe kurseve.
privacy-basis-heading = Mbi çfarë baze
privacy-basis = Përpunimi nevojitet për një detyrë me interes publik që ligji ia beson Komunës dhe Ambito-s (neni 6, paragrafi 1, shkronja e e GDPR). Të dhënat shëndetësore dhe kategoritë e tjera të veçanta përpunohen për arsye interesi publik të rëndësishëm të parashikuara me ligj (neni 9, paragrafi 2, shkronja g e GDPR dhe neni 2-sexies i Dekretit Legjislativ 196/2003).
privacy-data-heading = Cilat të dhëna
privacy-data = Të dhënat e gjendjes civile dhe të kontaktit, dokumentet e identitetit dhe të qëndrimit, gjendja familjare dhe ekonomike dhe, vetëm nëse nevojiten për shërbimin që kërkon, të dhënat shëndetësore.
privacy-recipients-heading = Kujt ua komunikojmë
privacy-recipients = Vetëm institucioneve që duhet të vendosin për kërkesën tënde dhe vetëm të dhënat e nevojshme: për shembull autoritetit shëndetësor vendor (ASL), Prefekturës, Kuesturës, INPS-it, komunave të Ambito-s dhe shërbimeve ku të shoqërojmë. Të dhënat nuk publikohen dhe nuk dalin nga Bashkimi Evropian.
privacy-retention-heading = Për sa kohë
privacy-retention = Për kohën që i nevojitet shërbimit, pastaj sipas planit të ruajtjes së dokumenteve të Komunës.
privacy-obligation-heading = Nëse nuk dëshiron të japësh të dhënat
privacy-obligation = Dhënia e të dhënave nuk është e detyrueshme, por pa të dhënat e nevojshme nuk mund ta ndjekim praktikën tënde. Asnjë vendim për ty nuk merret në mënyrë automatike.
privacy-rights-heading = Të drejtat e tua
privacy-rights = Mund të kërkosh të shohësh të dhënat e tua dhe të marrësh një kopje, t'i korrigjosh, t'i fshish ose të kufizosh përdorimin e tyre kur ligji e lejon, dhe mund të kundërshtosh përpunimin (nenet 15–21 të GDPR). Mund të mësosh kush e ka parë dosjen tënde dhe kur. Shkruaji kontrolluesit ose pyet operatorin.
privacy-complaint-heading = Ankesë
privacy-complaint = Nëse mendon se të dhënat e tua nuk përpunohen si duhet, mund të bësh ankesë te autoriteti italian për mbrojtjen e të dhënave, Garante (www.garanteprivacy.it).
privacy-received = E kam marrë këtë informacion në një gjuhë që e kuptoj.

checklist-title = Dokumentet që duhet të sjellësh
checklist-procedure = Praktika: { $procedure }
checklist-intro = Sill me vete këto dokumente, origjinalet dhe, nëse mundesh, një fotokopje:
checklist-nothing = Për këtë praktikë nuk nevojiten dokumente të veçanta: sill një dokument identiteti, nëse ke.
checklist-missing = Nëse nuk ke një nga këto dokumente, thuaji operatorit: do të gjejmë së bashku një zgjidhje.

slip-title = Kujtesë për takimin
slip-when = Kur
slip-where = Ku
slip-what = Për çfarë
slip-service = Shërbimi
slip-facility = Struktura
slip-duration = Kohëzgjatja
slip-minutes = { $minutes } minuta
slip-mediator = Ndërmjetësi
slip-language = Gjuha
slip-booking-code = Kodi i rezervimit
slip-bring = Sill këtë fletë, një dokument identiteti dhe kartën shëndetësore ose kartën STP/ENI, nëse i ke.
slip-cancel = Nëse nuk mund të vish, njofto Pikën e Vetme të Aksesit sa më shpejt.
slip-cancelled = Ky takim është anuluar.

receipt-title = Dëftesë e kërkesës
receipt-intro = Pika e Vetme e Aksesit e ka marrë kërkesën tënde.
receipt-request = Kërkesa
receipt-opened = Data e kërkesës
receipt-reference = Referenca
receipt-protocol = Numri i protokollit
receipt-postal = Dëftesa postare
receipt-deadline = Afati
receipt-keep = Ruaje këtë dëftesë: të duhet për të pyetur për praktikën tënde.

card-title-stp = Karta STP — I huaj i pranishëm përkohësisht
card-title-eni = Karta ENI — Evropian i paregjistruar
card-code = Kodi
card-valid-from = E vlefshme nga
card-valid-until = E vlefshme deri më
card-born = Data e lindjes
card-rights = Me këtë kod ke të drejtë, në ambulancat dhe spitalet e Shërbimit Shëndetësor Kombëtar, për kujdes urgjent dhe thelbësor, edhe të vazhdueshëm, për kujdes gjatë shtatzënisë dhe mëmësisë, për kujdesin ndaj fëmijëve dhe të rinjve, për vaksinat dhe për diagnozën dhe kurimin e sëmundjeve infektive.
card-no-report = Kërkimi i këtij kujdesi nuk sjell asnjë njoftim te autoritetet.
card-keep = Mbaje gjithmonë me vete këtë fletë dhe tregoja mjekut, në farmaci dhe në CUP. Para se të skadojë, kthehu në Porta Unica d'Accesso për ta rinovuar.

declaration-title = Deklaratë varfërie
declaration-text = Unë, i/e nënshkruari/a, mbajtës/e i/e kodit { $code }, deklaroj se nuk kam mjete ekonomike të mjaftueshme për të paguar kujdesin që më nevojitet.
declaration-exemption = Prandaj kërkoj të mos paguaj tarifën shëndetësore (ticket), siç e parashikon ligji për ata që nuk kanë mjete.
declaration-valid = Kjo deklaratë është e vlefshme deri më { $until }, si kodi.
declaration-truth = E di se deklarimi i rremë dënohet me ligj (neni 76 i Dekretit Presidencial 445/2000).

letter-title = Letër drejtimi
letter-intro = Porta Unica d'Accesso e drejton këtë person te shërbimi i treguar më poshtë. Faleminderit që e pritni.
letter-kind = Lloji i shërbimit
letter-to = Shërbimi
letter-reason = Arsyeja
letter-on = Data
letter-bring = Sill këtë letër dhe një dokument identiteti, nëse ke. Nëse shërbimi nuk mund të të presë, kthehu në Porta Unica d'Accesso.
letter-feedback = Për shërbimin: ju lutemi njoftoni Porta Unica d'Accesso si shkoi.
letter-target-consultorio = Qendër shëndetësore për familjen
letter-target-asl = Njësia shëndetësore vendore
letter-target-employment_centre = Qendër punësimi
letter-target-adult_school = Shkollë për të rritur
letter-target-legal_clinic = Zyrë këshillimi ligjor
letter-target-other = Shërbim tjetër
