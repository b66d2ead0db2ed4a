//! The Italian rules the desk applies: codes (codice fiscale, STP/ENI, and the ANPR tables of
//! places they encode) and the deadlines that follow from a person's documents and practices. Rules live here, tested; tables are data in `assets/`.

pub mod anpr;
pub mod codice_fiscale;
pub mod deadlines;
pub mod eligibility;
pub mod procedure_check;
pub mod procedures;
pub mod stp_eni;
