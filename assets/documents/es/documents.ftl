## Documentos para la persona, en español (traducidos del italiano).

doc-service = Punto Único de Acceso (PUA)
doc-issued = Expedido el { $date } por { $office }
doc-person = Para: { $person }
doc-page = Página { $page } de { $pages }
doc-translation-machine = Esta traducción todavía no ha sido revisada por un mediador. En caso de duda, prevalece el texto italiano.
doc-signature = Firma de la persona
doc-operator-signature = Firma del operador

privacy-title = Información sobre el tratamiento de los datos personales
privacy-subtitle = Artículo 13 del Reglamento (UE) 2016/679 (RGPD)
privacy-intro = { $ambito } trata tus datos personales para ofrecerte los servicios del Punto Único de Acceso. Aquí encuentras quién los trata, por qué, durante cuánto tiempo y cuáles son tus derechos.
privacy-controller-heading = Quién trata tus datos
privacy-controller = El responsable del tratamiento es { $controller }, { $address }. Puedes escribir a { $email }.
privacy-dpo = Puedes contactar con el delegado de protección de datos en { $dpo }.
privacy-purposes-heading = Por qué
privacy-purposes = Para acogerte, informarte y acompañarte a los servicios sociales y sanitarios; para ayudarte en los trámites del permiso de residencia, la ciudadanía, la inscripción en el Servicio Nacional de Salud, los bonos y las ayudas; para la mediación cultural, el asesoramiento jurídico y la orientación al trabajo y a los cursos.
privacy-basis-heading = Con qué base
privacy-basis = El tratamiento es necesario para una misión de interés público que la ley encomienda al municipio y al Ambito (artículo 6, apartado 1, letra e del RGPD). Los datos de salud y las demás categorías especiales se tratan por razones de interés público esencial previstas por la ley (artículo 9, apartado 2, letra g del RGPD y artículo 2-sexies del Decreto Legislativo 196/2003).
privacy-data-heading = Qué datos
privacy-data = Datos personales y de contacto, documentos de identidad y de residencia, situación familiar y económica y, solo si hacen falta para el servicio que pides, datos de salud.
privacy-recipients-heading = A quién los comunicamos
privacy-recipients = Solo a los organismos que deben decidir sobre tu solicitud, y solo los datos necesarios: por ejemplo la autoridad sanitaria local (ASL), la Prefectura, la Questura, el INPS, los municipios del Ambito y los servicios a los que te acompañamos. Los datos no se publican y no salen de la Unión Europea.
privacy-retention-heading = Durante cuánto tiempo
privacy-retention = El tiempo necesario para el servicio y después según el plan de conservación de documentos del municipio.
privacy-obligation-heading = Si no quieres dar tus datos
privacy-obligation = Dar tus datos no es obligatorio, pero sin los datos necesarios no podemos llevar tu trámite. Ninguna decisión sobre ti se toma de forma automática.
privacy-rights-heading = Tus derechos
privacy-rights = Puedes pedir ver tus datos y obtener una copia, corregirlos, borrarlos o limitar su uso cuando la ley lo permite, y puedes oponerte al tratamiento (artículos 15 a 21 del RGPD). Puedes saber quién ha consultado tu expediente y cuándo. Escribe al responsable o pregunta al operador.
privacy-complaint-heading = Reclamación
privacy-complaint = Si crees que tus datos no se tratan correctamente, puedes presentar una reclamación ante la autoridad italiana de protección de datos, el Garante (www.garanteprivacy.it).
privacy-received = He recibido esta información en un idioma que entiendo.

checklist-title = Documentos que debes traer
checklist-procedure = Trámite: { $procedure }
checklist-intro = Trae estos documentos, los originales y, si puedes, una fotocopia:
checklist-nothing = Para este trámite no hacen falta documentos especiales: trae un documento de identidad, si tienes uno.
checklist-missing = Si no tienes alguno de estos documentos, díselo al operador: buscaremos juntos una solución.

slip-title = Recordatorio de la cita
slip-when = Cuándo
slip-where = Dónde
slip-what = Para qué
slip-service = Prestación
slip-facility = Centro
slip-duration = Duración
slip-minutes = { $minutes } minutos
slip-mediator = Mediador o mediadora
slip-language = Idioma
slip-booking-code = Código de reserva
slip-bring = Trae esta hoja, un documento de identidad y la tarjeta sanitaria o la tarjeta STP/ENI, si las tienes.
slip-cancel = Si no puedes venir, avisa al Punto Único de Acceso lo antes posible.
slip-cancelled = Esta cita ha sido anulada.

receipt-title = Justificante de la solicitud
receipt-intro = El Punto Único de Acceso ha recibido tu solicitud.
receipt-request = Solicitud
receipt-opened = Fecha de la solicitud
receipt-reference = Referencia
receipt-protocol = Número de registro
receipt-postal = Resguardo postal
receipt-deadline = Plazo
receipt-keep = Guarda este justificante: te sirve para preguntar por tu trámite.

card-title-stp = Tarjeta STP — Extranjero Temporalmente Presente
card-title-eni = Tarjeta ENI — Europeo No Inscrito
card-code = Código
card-valid-from = Válido desde el
card-valid-until = Válido hasta el
card-born = Fecha de nacimiento
card-rights = Con este código tienes derecho, en los ambulatorios y hospitales del Servicio Sanitario Nacional, a la atención urgente y esencial, también continuada, a la atención durante el embarazo y la maternidad, a la atención de niños y jóvenes, a las vacunas y al diagnóstico y tratamiento de las enfermedades infecciosas.
card-no-report = Pedir esta atención no supone ninguna denuncia a las autoridades.
card-keep = Lleva siempre contigo esta hoja y muéstrala al médico, en la farmacia y en el CUP. Antes de que caduque, vuelve a la Porta Unica d'Accesso para renovarla.

declaration-title = Declaración de indigencia
declaration-text = Yo, el/la abajo firmante, titular del código { $code }, declaro que no tengo recursos económicos suficientes para pagar la atención que necesito.
declaration-exemption = Por eso pido no pagar el copago sanitario (ticket), como la ley prevé para quien no tiene recursos.
declaration-valid = Esta declaración es válida hasta el { $until }, como el código.
declaration-truth = Sé que quien declara en falso es castigado por la ley (artículo 76 del Decreto Presidencial 445/2000).

letter-title = Carta de derivación
letter-intro = La Porta Unica d'Accesso deriva a esta persona al servicio indicado abajo. Gracias por recibirla.
letter-kind = Tipo de servicio
letter-to = Servicio
letter-reason = Motivo
letter-on = Fecha
letter-bring = Lleva esta carta y un documento de identidad, si tienes uno. Si el servicio no puede atenderte, vuelve a la Porta Unica d'Accesso.
letter-feedback = Al servicio: por favor, informen a la Porta Unica d'Accesso de cómo ha ido.
letter-target-consultorio = Centro de salud familiar
letter-target-asl = Agencia sanitaria local
letter-target-employment_centre = Centro de empleo
letter-target-adult_school = Escuela de adultos
letter-target-legal_clinic = Servicio de asesoría jurídica
letter-target-other = Otro servicio
