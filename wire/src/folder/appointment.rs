//! Appointments: at the desk, at an outreach place, or at a health facility booked through
//! the CUP.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Entity, Invalid, LocalDateTime, MAX_LINE_CHARS, Section, optional_line, required_text};

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
}

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
        })
    }
}
