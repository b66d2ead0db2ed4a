## Documente pentru persoană, în limba română (traduse din italiană).

doc-service = Punctul Unic de Acces (PUA)
doc-issued = Eliberat la { $date } de { $office }
doc-person = Pentru: { $person }
doc-page = Pagina { $page } din { $pages }
doc-translation-machine = Această traducere nu a fost încă verificată de un mediator. În caz de îndoială, prevalează textul în italiană.
doc-signature = Semnătura persoanei
doc-operator-signature = Semnătura operatorului

privacy-title = Informare privind prelucrarea datelor cu caracter personal
privacy-subtitle = Articolul 13 din Regulamentul (UE) 2016/679 (GDPR)
privacy-intro = { $ambito } prelucrează datele tale personale pentru a-ți oferi serviciile Punctului Unic de Acces. Aici afli cine le prelucrează, de ce, pentru cât timp și care sunt drepturile tale.
privacy-controller-heading = Cine îți prelucrează datele
privacy-controller = Operatorul de date este { $controller }, { $address }. Poți scrie la { $email }.
privacy-dpo = Poți contacta responsabilul cu protecția datelor la adresa { $dpo }.
privacy-purposes-heading = De ce
privacy-purposes = Pentru a te primi, a te informa și a te însoți la serviciile sociale și de sănătate; pentru a te ajuta cu cererile de permis de ședere, cetățenie, înscriere în Serviciul Național de Sănătate, bonusuri și alocații; pentru mediere culturală, consultanță juridică și orientare spre muncă și cursuri.
privacy-basis-heading = Pe ce temei
privacy-basis = Prelucrarea este necesară pentru o sarcină de interes public pe care legea o încredințează comunei și Ambito-ului (articolul 6 alineatul (1) litera (e) din GDPR). Datele privind sănătatea și celelalte categorii speciale de date sunt prelucrate din motive de interes public important prevăzute de lege (articolul 9 alineatul (2) litera (g) din GDPR și articolul 2-sexies din Decretul legislativ 196/2003).
privacy-data-heading = Ce date
privacy-data = Date de identificare și de contact, acte de identitate și de ședere, situația familială și economică și, doar dacă sunt necesare pentru serviciul cerut, date privind sănătatea.
privacy-recipients-heading = Cui le comunicăm
privacy-recipients = Doar instituțiilor care trebuie să decidă asupra cererii tale și doar datele necesare: de exemplu autoritatea sanitară locală (ASL), Prefectura, Questura, INPS, comunele din Ambito și serviciile la care te însoțim. Datele nu sunt publicate și nu ies din Uniunea Europeană.
privacy-retention-heading = Pentru cât timp
privacy-retention = Cât timp este necesar pentru serviciu, apoi conform planului de păstrare a documentelor al comunei.
privacy-obligation-heading = Dacă nu vrei să îți dai datele
privacy-obligation = Furnizarea datelor nu este obligatorie, dar fără datele necesare nu putem urmări dosarul tău. Nicio decizie care te privește nu este luată în mod automat.
privacy-rights-heading = Drepturile tale
privacy-rights = Poți cere să îți vezi datele și să primești o copie, să le corectezi, să le ștergi sau să le limitezi folosirea atunci când legea permite și te poți opune prelucrării (articolele 15–21 din GDPR). Poți afla cine ți-a consultat dosarul și când. Scrie operatorului de date sau întreabă operatorul de la ghișeu.
privacy-complaint-heading = Plângere
privacy-complaint = Dacă crezi că datele tale nu sunt prelucrate corect, poți depune o plângere la autoritatea italiană pentru protecția datelor, Garante (www.garanteprivacy.it).
privacy-received = Am primit această informare într-o limbă pe care o înțeleg.

checklist-title = Documente de adus
checklist-procedure = Dosar: { $procedure }
checklist-intro = Adu cu tine aceste documente, în original și, dacă poți, în copie:
checklist-nothing = Pentru acest dosar nu sunt necesare documente speciale: adu un act de identitate, dacă ai unul.
checklist-missing = Dacă nu ai unul dintre aceste documente, spune-i operatorului: căutăm împreună o soluție.

slip-title = Memento pentru programare
slip-when = Când
slip-where = Unde
slip-what = Pentru ce
slip-service = Serviciu
slip-facility = Unitate
slip-duration = Durata
slip-minutes = { $minutes } minute
slip-mediator = Mediator
slip-language = Limba
slip-booking-code = Cod de rezervare
slip-bring = Adu această foaie, un act de identitate și cardul de sănătate sau cardul STP/ENI, dacă le ai.
slip-cancel = Dacă nu poți veni, anunță Punctul Unic de Acces cât mai repede.
slip-cancelled = Această programare a fost anulată.

receipt-title = Dovada cererii
receipt-intro = Punctul Unic de Acces a primit cererea ta.
receipt-request = Cerere
receipt-opened = Data cererii
receipt-reference = Referință
receipt-protocol = Număr de înregistrare
receipt-postal = Chitanța poștală
receipt-deadline = Termen
receipt-keep = Păstrează această dovadă: îți trebuie ca să întrebi despre dosarul tău.

card-title-stp = Card STP — Străin Prezent Temporar
card-title-eni = Card ENI — European Neînscris
card-code = Cod
card-valid-from = Valabil de la
card-valid-until = Valabil până la
card-born = Data nașterii
card-rights = Cu acest cod ai dreptul, în cabinetele și spitalele Serviciului Sanitar Național, la îngrijiri urgente și esențiale, inclusiv continue, la îngrijiri în timpul sarcinii și pentru maternitate, la îngrijiri pentru copii și tineri, la vaccinări și la diagnosticarea și tratarea bolilor infecțioase.
card-no-report = Solicitarea acestor îngrijiri nu duce la nicio semnalare către autorități.
card-keep = Poartă mereu această foaie cu tine și arat-o medicului, la farmacie și la CUP. Înainte să expire, revino la Porta Unica d'Accesso ca să o reînnoiești.

declaration-title = Declarație de lipsă de mijloace
declaration-text = Subsemnatul/subsemnata, titular al codului { $code }, declar că nu am resurse economice suficiente pentru a plăti îngrijirile de care am nevoie.
declaration-exemption = De aceea cer să nu plătesc contribuția la costul serviciilor medicale (ticket), așa cum prevede legea pentru persoanele fără resurse.
declaration-valid = Această declarație este valabilă până la { $until }, ca și codul.
declaration-truth = Știu că declarațiile false sunt pedepsite de lege (articolul 76 din Decretul Prezidențial 445/2000).

letter-title = Scrisoare de îndrumare
letter-intro = Porta Unica d'Accesso îndrumă această persoană către serviciul de mai jos. Vă mulțumim că o primiți.
letter-kind = Tipul serviciului
letter-to = Serviciu
letter-reason = Motiv
letter-on = Data
letter-bring = Adu această scrisoare și un act de identitate, dacă ai unul. Dacă serviciul nu te poate primi, întoarce-te la Porta Unica d'Accesso.
letter-feedback = Către serviciu: vă rugăm să anunțați Porta Unica d'Accesso cum a decurs.
letter-target-consultorio = Centru de sănătate a familiei
letter-target-asl = Autoritatea sanitară locală
letter-target-employment_centre = Centru pentru ocuparea forței de muncă
letter-target-adult_school = Școală pentru adulți
letter-target-legal_clinic = Birou de consiliere juridică
letter-target-other = Alt serviciu
