## Documents pour la personne, en français (traduits de l'italien).

doc-service = Guichet unique d'accès (PUA)
doc-issued = Délivré le { $date } par { $office }
doc-person = Pour : { $person }
doc-page = Page { $page } sur { $pages }
doc-translation-machine = Cette traduction n'a pas encore été relue par un médiateur. En cas de doute, le texte italien fait foi.
doc-signature = Signature de la personne
doc-operator-signature = Signature de l'agent

privacy-title = Information sur le traitement des données personnelles
privacy-subtitle = Article 13 du Règlement (UE) 2016/679 (RGPD)
privacy-intro = { $ambito } traite vos données personnelles pour vous offrir les services du Guichet unique d'accès. Vous trouverez ici qui les traite, pourquoi, pendant combien de temps et quels sont vos droits.
privacy-controller-heading = Qui traite vos données
privacy-controller = Le responsable du traitement est { $controller }, { $address }. Vous pouvez écrire à { $email }.
privacy-dpo = Vous pouvez contacter le délégué à la protection des données à l'adresse { $dpo }.
privacy-purposes-heading = Pourquoi
privacy-purposes = Pour vous accueillir, vous informer et vous accompagner vers les services sociaux et de santé ; pour vous aider dans vos démarches de titre de séjour, de nationalité, d'inscription au Service national de santé, de primes et d'allocations ; pour la médiation culturelle, le conseil juridique et l'orientation vers le travail et les formations.
privacy-basis-heading = Sur quelle base
privacy-basis = Le traitement est nécessaire à une mission d'intérêt public que la loi confie à la commune et à l'Ambito (article 6, paragraphe 1, point e du RGPD). Les données de santé et les autres données sensibles sont traitées pour des motifs d'intérêt public important prévus par la loi (article 9, paragraphe 2, point g du RGPD et article 2-sexies du décret législatif 196/2003).
privacy-data-heading = Quelles données
privacy-data = Données d'état civil et de contact, documents d'identité et de séjour, situation familiale et économique et, seulement si c'est nécessaire pour le service demandé, données de santé.
privacy-recipients-heading = À qui nous les communiquons
privacy-recipients = Seulement aux organismes qui doivent décider de votre demande, et seulement les données nécessaires : par exemple l'agence sanitaire locale (ASL), la Préfecture, la Questura, l'INPS, les communes de l'Ambito et les services vers lesquels nous vous accompagnons. Les données ne sont pas publiées et ne quittent pas l'Union européenne.
privacy-retention-heading = Pendant combien de temps
privacy-retention = Le temps nécessaire au service, puis selon le plan de conservation des documents de la commune.
privacy-obligation-heading = Si vous ne voulez pas donner vos données
privacy-obligation = Donner vos données n'est pas obligatoire, mais sans les données nécessaires nous ne pouvons pas suivre votre dossier. Aucune décision vous concernant n'est prise de manière automatique.
privacy-rights-heading = Vos droits
privacy-rights = Vous pouvez demander à voir vos données et à en avoir une copie, à les corriger, à les effacer ou à en limiter l'usage lorsque la loi le permet, et vous pouvez vous opposer au traitement (articles 15 à 21 du RGPD). Vous pouvez savoir qui a consulté votre dossier et quand. Écrivez au responsable ou demandez à l'agent.
privacy-complaint-heading = Réclamation
privacy-complaint = Si vous pensez que vos données ne sont pas traitées correctement, vous pouvez introduire une réclamation auprès de l'autorité italienne de protection des données, le Garante (www.garanteprivacy.it).
privacy-received = J'ai reçu cette information dans une langue que je comprends.

checklist-title = Documents à apporter
checklist-procedure = Démarche : { $procedure }
checklist-intro = Apportez ces documents, les originaux et, si vous pouvez, une photocopie :
checklist-nothing = Aucun document particulier n'est nécessaire pour cette démarche : apportez une pièce d'identité, si vous en avez une.
checklist-missing = S'il vous manque un de ces documents, dites-le à l'agent : nous chercherons une solution ensemble.

slip-title = Rappel de rendez-vous
slip-when = Quand
slip-where = Où
slip-what = Pour quoi
slip-service = Prestation
slip-facility = Établissement
slip-duration = Durée
slip-minutes = { $minutes } minutes
slip-mediator = Médiateur ou médiatrice
slip-language = Langue
slip-booking-code = Code de réservation
slip-bring = Apportez cette feuille, une pièce d'identité et votre carte sanitaire ou votre carte STP/ENI, si vous les avez.
slip-cancel = Si vous ne pouvez pas venir, prévenez le Guichet unique d'accès le plus tôt possible.
slip-cancelled = Ce rendez-vous a été annulé.

receipt-title = Récépissé de la demande
receipt-intro = Le Guichet unique d'accès a reçu votre demande.
receipt-request = Demande
receipt-opened = Date de la demande
receipt-reference = Référence
receipt-protocol = Numéro d'enregistrement
receipt-postal = Récépissé postal
receipt-deadline = Échéance
receipt-keep = Gardez ce récépissé : il vous servira pour demander des nouvelles de votre dossier.

card-title-stp = Carte STP — Étranger Temporairement Présent
card-title-eni = Carte ENI — Européen Non Inscrit
card-code = Code
card-valid-from = Valable du
card-valid-until = Valable jusqu'au
card-born = Date de naissance
card-rights = Avec ce code, vous avez droit, dans les cabinets et les hôpitaux du Service sanitaire national, aux soins urgents et essentiels, même continus, aux soins pendant la grossesse et la maternité, aux soins pour les enfants et les jeunes, aux vaccinations ainsi qu'au diagnostic et au traitement des maladies infectieuses.
card-no-report = Demander ces soins n'entraîne aucun signalement aux autorités.
card-keep = Gardez toujours cette feuille sur vous et montrez-la au médecin, à la pharmacie et au CUP. Avant l'expiration, revenez à la Porta Unica d'Accesso pour la renouveler.

declaration-title = Déclaration d'indigence
declaration-text = Je soussigné(e), titulaire du code { $code }, déclare ne pas avoir les ressources suffisantes pour payer les soins dont j'ai besoin.
declaration-exemption = Je demande donc à ne pas payer le ticket modérateur, comme la loi le prévoit pour les personnes sans ressources.
declaration-valid = Cette déclaration est valable jusqu'au { $until }, comme le code.
declaration-truth = Je sais que toute fausse déclaration est punie par la loi (article 76 du décret présidentiel 445/2000).

letter-title = Lettre d'accompagnement
letter-intro = La Porta Unica d'Accesso oriente cette personne vers le service indiqué ci-dessous. Merci de l'accueillir.
letter-kind = Type de service
letter-to = Service
letter-reason = Motif
letter-on = Date
letter-bring = Apportez cette lettre et une pièce d'identité, si vous en avez une. Si le service ne peut pas vous recevoir, revenez à la Porta Unica d'Accesso.
letter-feedback = Au service : merci de faire savoir à la Porta Unica d'Accesso comment cela s'est passé.
letter-target-consultorio = Centre de santé familiale
letter-target-asl = Agence sanitaire locale
letter-target-employment_centre = Centre pour l'emploi
letter-target-adult_school = École pour adultes
letter-target-legal_clinic = Permanence juridique
letter-target-other = Autre service
