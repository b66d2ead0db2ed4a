//! Who may get what: an STP or ENI code, and citizenship by residence or by marriage. Each
//! check answers yes, or says why not and, where time will fix it, from when.

use crate::calendar::{Date, plus_days, plus_months, plus_years};
use serde::Serialize;
use ts_rs::TS;

use crate::folder::document::{DocumentDetails, DocumentKind};
use crate::folder::person::PersonDetails;
use crate::rules::stp_eni::{EniValidity, StpEniKind, StpEniNumber};

/// The ANPR codes of the other 26 member states of the European Union.
pub const EU_STATES: [&str; 26] = [
    "Z102", "Z103", "Z104", "Z149", "Z211", "Z156", "Z107", "Z144", "Z109", "Z110", "Z112", "Z115", "Z134", "Z116",
    "Z145", "Z146", "Z120", "Z121", "Z126", "Z127", "Z128", "Z129", "Z155", "Z150", "Z131", "Z132",
];

/// Days after a permit's expiry, with no renewal requested, after which the person is
/// irregular: until then the permit counts (no STP), and the deadlines call that day due.
pub const PERMIT_IRREGULAR_AFTER_DAYS: i64 = 60;

/// Months an STP or ENI code is valid.
pub const STP_ENI_MONTHS: u32 = 6;

/// Why a person cannot get an STP or ENI code now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum StpEniRefusal {
    /// STP is for foreigners without a permit; this person holds a valid one (or has asked
    /// for its renewal): register them with the SSN instead.
    #[error("holds a residence permit")]
    HoldsResidencePermit,
    /// STP is not for someone within the period of an entry visa.
    #[error("is within a visa's period")]
    WithinVisa {
        #[ts(type = "string")]
        until: Date,
    },
    /// STP is for citizens of states outside the EU.
    #[error("is an EU citizen")]
    EuCitizen,
    /// ENI is for EU citizens only.
    #[error("is not an EU citizen")]
    NotEuCitizen,
    /// The current code is still valid; it can be renewed from a month before it ends.
    #[error("already holds a valid code")]
    StillValid {
        #[ts(type = "string")]
        until: Date,
    },
}

fn is_eu_citizen(person: &PersonDetails) -> bool {
    person.citizenships.iter().any(|code| EU_STATES.contains(&code.as_str()))
}

/// A permit counts until the person becomes irregular: a renewal asked for, or not yet
/// [`PERMIT_IRREGULAR_AFTER_DAYS`] past its expiry — the same grace the deadlines count.
fn holds_permit(documents: &[DocumentDetails], today: Date) -> bool {
    documents.iter().any(|document| {
        document.kind == DocumentKind::ResidencePermit
            && (document.renewal_requested_on.is_some()
                || document.expires_on.is_none_or(|expiry| plus_days(expiry.0, PERMIT_IRREGULAR_AFTER_DAYS) >= today))
    })
}

/// The end of the entry visa whose period covers `today`, if any.
fn visa_until(documents: &[DocumentDetails], today: Date) -> Option<Date> {
    documents
        .iter()
        .filter(|document| document.kind == DocumentKind::Visa)
        .filter(|visa| visa.issued_on.is_none_or(|from| from.0 <= today))
        .filter_map(|visa| visa.expires_on.map(|until| until.0).filter(|until| *until >= today))
        .max()
}

/// A code still valid a month from now needs no renewal yet.
fn still_valid(code: Option<&crate::folder::person::StpEniCode>, today: Date) -> Result<(), StpEniRefusal> {
    match code {
        Some(code) if code.expires_on.0 > plus_months(today, 1) => {
            Err(StpEniRefusal::StillValid { until: code.expires_on.0 })
        }
        _ => Ok(()),
    }
}

/// Whether `person` may be issued (or renewed) an STP code on `today`.
pub fn may_get_stp(person: &PersonDetails, documents: &[DocumentDetails], today: Date) -> Result<(), StpEniRefusal> {
    if is_eu_citizen(person) {
        return Err(StpEniRefusal::EuCitizen);
    }
    if holds_permit(documents, today) {
        return Err(StpEniRefusal::HoldsResidencePermit);
    }
    if let Some(until) = visa_until(documents, today) {
        return Err(StpEniRefusal::WithinVisa { until });
    }
    still_valid(person.stp.as_ref(), today)
}

/// Whether `person` may be issued (or renewed) an ENI code on `today` by an office of the
/// region `region_here` (its three digits, when known). Where ENI codes are valid only in the
/// issuing region, a code of another region is no obstacle.
pub fn may_get_eni(
    person: &PersonDetails,
    today: Date,
    validity: EniValidity,
    region_here: Option<&str>,
) -> Result<(), StpEniRefusal> {
    if !is_eu_citizen(person) {
        return Err(StpEniRefusal::NotEuCitizen);
    }
    let valid_here = |code: &&crate::folder::person::StpEniCode| match (validity, region_here) {
        (EniValidity::IssuingRegion, Some(here)) => {
            StpEniNumber::parse(&code.code, StpEniKind::Eni).is_ok_and(|number| number.region == here)
        }
        _ => true,
    };
    still_valid(person.eni.as_ref().filter(valid_here), today)
}

/// The last day of a code issued on `issued`: six months later.
pub fn stp_eni_expiry(issued: Date) -> Date {
    plus_months(issued, STP_ENI_MONTHS)
}

/// Who is asking for citizenship by residence (law 91/1992, art. 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResidenceCategory {
    /// A citizen of a state outside the EU: 10 years.
    NonEu,
    /// An EU citizen: 4 years.
    Eu,
    /// A stateless person or a refugee: 5 years.
    StatelessOrRefugee,
    /// An adult adopted by an Italian citizen: 5 years after the adoption.
    AdoptedAdult,
    /// Born in Italy, or whose parent or grandparent was Italian by birth: 3 years.
    BornInItalyOrDescendant,
}

impl ResidenceCategory {
    pub fn years(self) -> u32 {
        match self {
            ResidenceCategory::NonEu => 10,
            ResidenceCategory::Eu => 4,
            ResidenceCategory::StatelessOrRefugee | ResidenceCategory::AdoptedAdult => 5,
            ResidenceCategory::BornInItalyOrDescendant => 3,
        }
    }
}

/// How the person shows their Italian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LanguageProof {
    /// A B1 certificate from a recognised body.
    B1Certificate,
    /// Exempt: holds an EU long-term residence permit.
    LongTermPermit,
    /// Exempt: signed the integration agreement.
    IntegrationAgreement,
    None,
}

/// The route to citizenship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitizenshipRoute {
    /// By residence, since `resident_since` (legal residence).
    Residence { category: ResidenceCategory, resident_since: Date },
    /// By marriage to an Italian citizen: 2 years of legal residence in Italy after the
    /// wedding (3 years of marriage living abroad), halved with children. Living in Italy, the
    /// years count from the later of the wedding and the start of legal residence
    /// (`resident_since`): a marriage before the spouse came to Italy does not count alone.
    Marriage { married_on: Date, resident_since: Option<Date>, living_abroad: bool, children: bool },
}

/// A requirement not met yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case", tag = "missing")]
pub enum CitizenshipGap {
    /// Not enough years yet: the application can be made from this day.
    Years {
        #[ts(type = "string")]
        from: Date,
    },
    /// No B1 certificate and no exemption.
    Language,
}

/// What stands between the person and a citizenship application on `today` (nothing: they
/// can apply). The fee and the income requirement are checked by the operator.
pub fn citizenship_gaps(route: CitizenshipRoute, language: LanguageProof, today: Date) -> Vec<CitizenshipGap> {
    let from = citizenship_years_met(route);
    let mut gaps = Vec::new();
    if from > today {
        gaps.push(CitizenshipGap::Years { from });
    }
    if language == LanguageProof::None {
        gaps.push(CitizenshipGap::Language);
    }
    gaps
}

/// The route to citizenship a person's folder says, the one that lets them apply soonest:
/// by marriage to an Italian citizen when the wedding is recorded; by legal residence, with
/// the years of their citizenship or protection, or fewer when born in Italy or of Italian
/// descent (3) or adopted as an adult by an Italian (5, from the adoption). None without a
/// wedding or a start of legal residence.
pub fn citizenship_route(person: &PersonDetails, children: bool) -> Option<CitizenshipRoute> {
    let resident_since = person.legal_residence_since.map(|day| day.0);
    let mut routes = Vec::new();
    if let Some(married_on) = person.married_to_italian_on {
        routes.push(CitizenshipRoute::Marriage {
            married_on: married_on.0,
            resident_since,
            living_abroad: resident_since.is_none(),
            children,
        });
    }
    if let Some(since) = resident_since {
        let category = if is_eu_citizen(person) {
            ResidenceCategory::Eu
        } else if person.stateless || person.protection == Some(crate::folder::person::ProtectionStatus::Refugee) {
            ResidenceCategory::StatelessOrRefugee
        } else {
            ResidenceCategory::NonEu
        };
        routes.push(CitizenshipRoute::Residence { category, resident_since: since });
        if person.born_in_italy() || person.italian_descent {
            let category = ResidenceCategory::BornInItalyOrDescendant;
            routes.push(CitizenshipRoute::Residence { category, resident_since: since });
        }
        if let Some(adopted) = person.adopted_by_italian_on {
            let category = ResidenceCategory::AdoptedAdult;
            routes.push(CitizenshipRoute::Residence { category, resident_since: since.max(adopted.0) });
        }
    }
    routes.into_iter().min_by_key(|route| citizenship_years_met(*route))
}

/// The day the years a route asks for are met.
pub fn citizenship_years_met(route: CitizenshipRoute) -> Date {
    match route {
        CitizenshipRoute::Residence { category, resident_since } => plus_years(resident_since, category.years()),
        CitizenshipRoute::Marriage { married_on, resident_since, living_abroad, children } => {
            let months: u32 = if living_abroad { 36 } else { 24 };
            let counted_from = match resident_since {
                Some(since) if !living_abroad => married_on.max(since),
                _ => married_on,
            };
            plus_months(counted_from, if children { months / 2 } else { months })
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::calendar::date;

    use super::*;
    use crate::folder::Day;
    use crate::folder::person::StpEniCode;

    fn person(citizenship: &str) -> PersonDetails {
        PersonDetails {
            family_name: "Diallo".into(),
            given_names: "Moussa".into(),
            citizenships: vec![citizenship.into()],
            ..PersonDetails::default()
        }
    }

    fn permit(expires: Date, renewal_requested: Option<Date>) -> DocumentDetails {
        DocumentDetails {
            expires_on: Some(Day(expires)),
            renewal_requested_on: renewal_requested.map(Day),
            issued_on: Some(Day(date(2024, 1, 1))),
            ..DocumentDetails::example()
        }
    }

    #[test]
    fn stp_is_refused_to_permit_holders_and_eu_citizens() {
        let today = date(2026, 11, 26);
        let senegalese = person("Z343");
        assert_eq!(may_get_stp(&senegalese, &[], today), Ok(()));
        assert_eq!(
            may_get_stp(&senegalese, &[permit(date(2027, 3, 1), None)], today),
            Err(StpEniRefusal::HoldsResidencePermit)
        );
        assert_eq!(may_get_stp(&senegalese, &[permit(date(2026, 3, 1), None)], today), Ok(()), "expired permit");
        assert_eq!(
            may_get_stp(&senegalese, &[permit(date(2026, 3, 1), Some(date(2026, 2, 1)))], today),
            Err(StpEniRefusal::HoldsResidencePermit),
            "a renewal was requested: the person is regular"
        );
        assert_eq!(may_get_stp(&person("Z129"), &[], today), Err(StpEniRefusal::EuCitizen));
    }

    #[test]
    fn the_permits_sixty_days_of_grace_are_the_deadlines_own_and_a_visa_excludes_stp_within_its_period() {
        let senegalese = person("Z343");
        // Expired on 31 December 2027: regular through 29 February 2028 (60 days, leap year),
        // the day the deadline engine calls the person irregular.
        let permit = [permit(date(2027, 12, 31), None)];
        let irregular_from = Day(plus_days(date(2027, 12, 31), PERMIT_IRREGULAR_AFTER_DAYS));
        assert_eq!(irregular_from, Day(date(2028, 2, 29)));
        assert_eq!(may_get_stp(&senegalese, &permit, date(2028, 2, 29)), Err(StpEniRefusal::HoldsResidencePermit));
        assert_eq!(may_get_stp(&senegalese, &permit, date(2028, 3, 1)), Ok(()));

        // A visa from 1 to 31 March 2027: no STP within it, from the day after it ends.
        let visa = DocumentDetails {
            kind: DocumentKind::Visa,
            issued_on: Some(Day(date(2027, 3, 1))),
            expires_on: Some(Day(date(2027, 3, 31))),
            ..DocumentDetails::example()
        };
        let documents = [visa];
        assert_eq!(may_get_stp(&senegalese, &documents, date(2027, 2, 28)), Ok(()), "before it starts");
        assert_eq!(
            may_get_stp(&senegalese, &documents, date(2027, 3, 31)),
            Err(StpEniRefusal::WithinVisa { until: date(2027, 3, 31) })
        );
        assert_eq!(may_get_stp(&senegalese, &documents, date(2027, 4, 1)), Ok(()));
    }

    #[test]
    fn eni_is_for_eu_citizens_and_renews_from_a_month_before_expiry() {
        let today = date(2026, 11, 26);
        let puglia = Some("160");
        let in_puglia = |person: &PersonDetails, today| may_get_eni(person, today, EniValidity::IssuingRegion, puglia);
        assert_eq!(in_puglia(&person("Z343"), today), Err(StpEniRefusal::NotEuCitizen));
        let issued = date(2026, 9, 1);
        let mut romanian = person("Z129");
        romanian.eni = Some(StpEniCode {
            code: "ENI1601160000001".into(),
            issued_on: Day(issued),
            expires_on: Day(stp_eni_expiry(issued)),
        });
        assert_eq!(stp_eni_expiry(issued), date(2027, 3, 1));
        assert_eq!(in_puglia(&romanian, today), Err(StpEniRefusal::StillValid { until: date(2027, 3, 1) }));
        assert_eq!(in_puglia(&romanian, date(2027, 2, 1)), Ok(()));
        assert_eq!(stp_eni_expiry(date(2026, 8, 31)), date(2027, 2, 28), "month ends clamp");
    }

    #[test]
    fn a_code_of_another_region_counts_only_where_eni_codes_are_valid_nationwide() {
        let today = date(2026, 11, 26);
        let mut romanian = person("Z129");
        // Issued in Lazio (120) in October: valid until April.
        romanian.eni = Some(StpEniCode {
            code: "ENI1201010000042".into(),
            issued_on: Day(date(2026, 10, 1)),
            expires_on: Day(date(2027, 4, 1)),
        });
        let still_valid = Err(StpEniRefusal::StillValid { until: date(2027, 4, 1) });
        assert_eq!(
            may_get_eni(&romanian, today, EniValidity::IssuingRegion, Some("160")),
            Ok(()),
            "Puglia issues its own"
        );
        assert_eq!(
            may_get_eni(&romanian, today, EniValidity::IssuingRegion, Some("120")),
            still_valid,
            "not twice in Lazio"
        );
        assert_eq!(may_get_eni(&romanian, today, EniValidity::Nationwide, Some("160")), still_valid);
        // A device that reserved no numbers yet cannot tell its region: the code counts.
        assert_eq!(may_get_eni(&romanian, today, EniValidity::IssuingRegion, None), still_valid);
    }

    #[test]
    fn born_in_italy_of_italian_descent_or_adopted_by_an_italian_the_years_are_fewer() {
        let since = date(2022, 3, 1);
        let moroccan = PersonDetails {
            citizenships: vec!["Z330".into()],
            legal_residence_since: Some(Day(since)),
            ..PersonDetails::default()
        };
        let met = |person: &PersonDetails| citizenship_route(person, false).map(citizenship_years_met);
        assert_eq!(met(&moroccan), Some(date(2032, 3, 1)), "ten years");
        // Born in Galatina: three years.
        let born_here = PersonDetails { birth_place: Some("Galatina".into()), ..moroccan.clone() };
        assert!(born_here.born_in_italy());
        assert_eq!(met(&born_here), Some(date(2025, 3, 1)));
        // A place of birth abroad of the same name does not count.
        let born_abroad = PersonDetails { birth_country: Some("Z330".into()), ..born_here.clone() };
        assert_eq!(met(&born_abroad), Some(date(2032, 3, 1)));
        // A grandparent Italian by birth: three years too.
        let descendant = PersonDetails { italian_descent: true, ..moroccan.clone() };
        assert_eq!(met(&descendant), Some(date(2025, 3, 1)));
        // Adopted as an adult by an Italian on 29 February 2024: five years from the adoption,
        // to the month's last day.
        let adopted = PersonDetails { adopted_by_italian_on: Some(Day(date(2024, 2, 29))), ..moroccan.clone() };
        assert_eq!(met(&adopted), Some(date(2029, 2, 28)));
        // Adopted before coming to Italy: five years of residence.
        let adopted_before = PersonDetails { adopted_by_italian_on: Some(Day(date(2019, 6, 30))), ..moroccan };
        assert_eq!(met(&adopted_before), Some(date(2027, 3, 1)));
    }

    #[test]
    fn citizenship_years_by_category_and_marriage() {
        let today = date(2026, 11, 26);
        let since = date(2017, 1, 10);
        let residence = |category| CitizenshipRoute::Residence { category, resident_since: since };
        assert_eq!(
            citizenship_gaps(residence(ResidenceCategory::NonEu), LanguageProof::B1Certificate, today),
            vec![CitizenshipGap::Years { from: date(2027, 1, 10) }]
        );
        assert!(
            citizenship_gaps(residence(ResidenceCategory::StatelessOrRefugee), LanguageProof::LongTermPermit, today)
                .is_empty()
        );
        assert_eq!(
            citizenship_gaps(residence(ResidenceCategory::Eu), LanguageProof::None, today),
            vec![CitizenshipGap::Language]
        );
        let married = |children, living_abroad: bool| CitizenshipRoute::Marriage {
            married_on: date(2025, 6, 15),
            resident_since: (!living_abroad).then(|| date(2019, 4, 1)),
            living_abroad,
            children,
        };
        assert_eq!(
            citizenship_gaps(married(false, false), LanguageProof::B1Certificate, today),
            vec![CitizenshipGap::Years { from: date(2027, 6, 15) }]
        );
        assert!(
            citizenship_gaps(married(true, false), LanguageProof::B1Certificate, today).is_empty(),
            "halved with children: 12 months"
        );
        assert_eq!(
            citizenship_gaps(married(true, true), LanguageProof::B1Certificate, today),
            vec![CitizenshipGap::Years { from: date(2026, 12, 15) }],
            "living abroad: 36 months, halved to 18"
        );
    }

    #[test]
    fn citizenship_by_marriage_counts_the_residence_after_the_wedding_not_the_wedding_alone() {
        let married_on = date(2024, 2, 29);
        let route = |resident_since| CitizenshipRoute::Marriage {
            married_on,
            resident_since: Some(resident_since),
            living_abroad: false,
            children: false,
        };
        let from = |route| match citizenship_gaps(route, LanguageProof::B1Certificate, date(2024, 3, 1)).as_slice() {
            [CitizenshipGap::Years { from }] => *from,
            other => panic!("{other:?}"),
        };
        // Resident long before the wedding: two years from the wedding, 29 February to the
        // month's last day in a common year.
        assert_eq!(from(route(date(2015, 5, 5))), date(2026, 2, 28));
        // Came to Italy after the wedding: two years from the start of legal residence.
        assert_eq!(from(route(date(2024, 10, 31))), date(2026, 10, 31));
    }
}
