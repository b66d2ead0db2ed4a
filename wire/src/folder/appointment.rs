//! Appointments: at the desk, at an outreach place, or at a health facility booked through
//! the CUP.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{
    Entity, Invalid, LocalDateTime, MAX_LINE_CHARS, Problem, Section, language_code, optional_line, required_text,
};

/// A booking made through the CUP (Centro Unico di Prenotazione).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CupBooking {
    /// The service booked (visita cardiologica, ecografia…).
    pub service: String,
    /// The hospital or clinic.
    pub facility: String,
    /// The booking code on the CUP receipt.
    pub booking_code: String,
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppointmentDetails {
    /// When, on the wall clock in Europe/Rome.
    pub at: LocalDateTime,
    /// Where: an office or outreach place of the Ambito, or a facility.
    pub place: String,
    pub purpose: Option<String>,
    pub cup: Option<CupBooking>,
    #[serde(default)]
    pub cancelled: bool,
    /// How long it is expected to last, in minutes.
    #[serde(default)]
    pub duration_minutes: Option<u16>,
    /// The operator who receives the person (an account of the office).
    #[serde(default)]
    pub operator: Option<Uuid>,
    /// The intercultural mediator needed, if any.
    #[serde(default)]
    pub mediator: Option<String>,
    /// The language the appointment needs (ISO 639 code).
    #[serde(default)]
    pub language: Option<String>,
}

/// The longest appointment: a working day.
pub const MAX_DURATION_MINUTES: u16 = 600;

impl AppointmentDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        AppointmentDetails {
            at: LocalDateTime(crate::calendar::date(2026, 12, 3).and_hms_opt(9, 30, 0).expect("a time")),
            place: "Ospedale Vito Fazzi, Lecce".into(),
            purpose: Some("Visita ginecologica".into()),
            cup: Some(CupBooking {
                service: "Visita ginecologica".into(),
                facility: "Ospedale Vito Fazzi".into(),
                booking_code: "CUP-2026-004512".into(),
            }),
            cancelled: false,
            duration_minutes: Some(30),
            operator: None,
            mediator: Some("Amina".into()),
            language: Some("fr".into()),
        }
    }
}

impl Section for AppointmentDetails {
    const ENTITY: Entity = Entity::Appointment;

    /// A CUP booking names a health service (a specialist visit, an exam).
    fn health_restricted(&self) -> bool {
        self.cup.is_some()
    }

    fn validated(&self, _today: crate::calendar::Date) -> Result<Self, Invalid> {
        let cup = match &self.cup {
            None => None,
            Some(cup) => Some(CupBooking {
                service: required_text("field-cup-service", &cup.service, MAX_LINE_CHARS)?,
                facility: required_text("field-cup-facility", &cup.facility, MAX_LINE_CHARS)?,
                booking_code: required_text("field-booking-code", &cup.booking_code, MAX_LINE_CHARS)?,
            }),
        };
        Ok(AppointmentDetails {
            at: self.at,
            place: required_text("field-place", &self.place, MAX_LINE_CHARS)?,
            purpose: optional_line("field-purpose", &self.purpose)?,
            cup,
            cancelled: self.cancelled,
            duration_minutes: match self.duration_minutes {
                Some(minutes) if minutes == 0 || minutes > MAX_DURATION_MINUTES => {
                    return Err(Invalid::new("field-duration-minutes", Problem::OutOfRange));
                }
                minutes => minutes,
            },
            operator: self.operator,
            mediator: optional_line("field-mediator", &self.mediator)?,
            language: language_code("field-language", &self.language)?,
        })
    }
}
