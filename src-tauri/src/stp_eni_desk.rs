//! STP and ENI codes at the desk: whether the person may get each one today, said in words
//! (why yes or why not, from the eligibility rules), and the code issued offline from this
//! device's reserved numbers.

use porta::ErrorPayload;
use porta::calendar::Date;
use porta::folder::Folder;
use porta::folder::person::StpEniCode;
use porta::rules::eligibility::{may_get_eni, may_get_stp};
use porta::rules::stp_eni::{EniValidity, StpEniKind, StpEniNumber};
use porta::store::{Store, StoreError};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::AppState;

/// One of the two codes as the folder offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StpEniOffer {
    pub kind: StpEniKind,
    /// Whether it may be issued, or renewed, today.
    pub allowed: bool,
    /// Why, or why not, in the operator's language.
    pub reason: String,
    /// Numbers this device still holds for it: none means a sync must bring more first.
    pub numbers_left: u32,
    /// The codes the person held before the current one, newest first.
    pub earlier: Vec<StpEniCode>,
}

impl AppState {
    /// Both codes for the person of `folder` on `today`, as the folder page offers them.
    pub(crate) fn stp_eni_offers(
        &self,
        store: &Store,
        folder: &Folder,
        today: Date,
    ) -> Result<Vec<StpEniOffer>, StoreError> {
        let person = &folder.person.details;
        let documents: Vec<_> = folder.documents.iter().map(|row| row.details.clone()).collect();
        let (locale, eni_validity) = {
            let settings = self.settings();
            (settings.locale, settings.eni_validity)
        };
        let region_here = store.stp_eni_region(StpEniKind::Eni)?;
        // Where ENI codes hold only in their region, one of another region is no renewal.
        let of_another_region = |code: &StpEniCode| {
            eni_validity == EniValidity::IssuingRegion
                && region_here.as_deref().is_some_and(|here| {
                    StpEniNumber::parse(&code.code, StpEniKind::Eni).is_ok_and(|number| number.region != here)
                })
        };
        StpEniKind::ALL
            .into_iter()
            .map(|kind| {
                let (check, current) = match kind {
                    StpEniKind::Stp => (may_get_stp(person, &documents, today), person.stp.as_ref()),
                    StpEniKind::Eni => (
                        may_get_eni(person, today, eni_validity, region_here.as_deref()),
                        person.eni.as_ref().filter(|code| !of_another_region(code)),
                    ),
                };
                let reason = match check {
                    Err(refusal) => self.payload(&StoreError::StpEniRefused(refusal)).message,
                    Ok(()) => {
                        let id = match (kind, current) {
                            (_, Some(_)) => "stp-eni-may-renew",
                            (StpEniKind::Stp, None) => "stp-eni-may-issue-stp",
                            (StpEniKind::Eni, None) if person.eni.is_some() => "stp-eni-may-issue-eni-here",
                            (StpEniKind::Eni, None) => "stp-eni-may-issue-eni",
                        };
                        let until = current
                            .map(|code: &StpEniCode| code.expires_on.0.format("%d/%m/%Y").to_string())
                            .unwrap_or_default();
                        self.localizer().format(locale, id, &[("until", until)])
                    }
                };
                Ok(StpEniOffer {
                    kind,
                    allowed: check.is_ok(),
                    reason,
                    numbers_left: store.stp_eni_reserve(kind)?,
                    earlier: store.earlier_stp_eni_codes(folder.person.id, kind)?,
                })
            })
            .collect()
    }

    /// Opens a folder with no name, named by the STP or ENI code issued for it.
    pub fn issue_anonymous_stp_eni_code(
        &self,
        person: &porta::folder::person::PersonDetails,
        kind: StpEniKind,
    ) -> Result<Uuid, ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.issue_anonymous_stp_eni_code(person, kind, clock.as_ref()).map(|(folder, _)| folder))
    }

    /// Issues (or renews) the code for the person of `folder` from this device's numbers.
    pub fn issue_stp_eni_code(&self, folder: Uuid, kind: StpEniKind) -> Result<StpEniCode, ErrorPayload> {
        let clock = self.clock();
        let eni_validity = self.settings().eni_validity;
        self.writing(|store| store.issue_stp_eni_code_with(folder, kind, eni_validity, clock.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use porta::ErrorCode;
    use porta::folder::person::PersonDetails;
    use porta::sync::protocol::StpEniBlock;

    use super::*;

    fn person(family: &str, citizenship: &str) -> PersonDetails {
        PersonDetails { family_name: family.into(), citizenships: vec![citizenship.into()], ..PersonDetails::default() }
    }

    #[test]
    fn the_folder_says_why_each_code_may_or_may_not_be_issued_and_issues_from_the_devices_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::tests::unlocked_admin(&dir);
        let moroccan = state.create_person(&person("Benali", "Z330")).unwrap();
        let french = state.create_person(&person("Dupont", "Z110")).unwrap();

        let offers = state.open_folder(moroccan).unwrap().stp_eni;
        assert_eq!(
            offers.iter().map(|o| (o.kind, o.allowed, o.numbers_left)).collect::<Vec<_>>(),
            vec![(StpEniKind::Stp, true, 0), (StpEniKind::Eni, false, 0)]
        );
        assert!(offers[0].reason.starts_with("Può ricevere il codice STP"), "{}", offers[0].reason);
        assert!(offers[1].reason.contains("cittadini dell'Unione europea"), "{}", offers[1].reason);
        let french_offers = state.open_folder(french).unwrap().stp_eni;
        assert!(!french_offers[0].allowed && french_offers[0].reason.contains("ENI"), "{}", french_offers[0].reason);

        // No numbers yet: refused in words, nothing written.
        let refused = state.issue_stp_eni_code(moroccan, StpEniKind::Stp).unwrap_err();
        assert_eq!(refused.code, ErrorCode::NoStpEniNumbers);
        let block = StpEniBlock { kind: StpEniKind::Stp, region: "160".into(), asl: "116".into(), first: 7, last: 8 };
        state.writing(|store| store.add_stp_eni_block(&block)).unwrap();
        let code = state.issue_stp_eni_code(moroccan, StpEniKind::Stp).unwrap();
        assert_eq!(code.code, "STP1601160000007");
        let after = state.open_folder(moroccan).unwrap();
        assert_eq!(after.folder.person.details.stp, Some(code));
        assert!(!after.stp_eni[0].allowed, "valid for six months: no renewal yet");
        assert_eq!(after.stp_eni[0].numbers_left, 1);
        assert_eq!(state.issue_stp_eni_code(french, StpEniKind::Stp).unwrap_err().code, ErrorCode::StpEniRefused);
    }

    #[test]
    fn an_eni_code_of_another_region_is_renewed_here_unless_the_settings_say_eni_codes_hold_nationwide() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::tests::unlocked_admin(&dir);
        let block = StpEniBlock { kind: StpEniKind::Eni, region: "160".into(), asl: "116".into(), first: 1, last: 9 };
        state.writing(|store| store.add_stp_eni_block(&block)).unwrap();
        // A Romanian citizen who got an ENI code in Lazio (120) last month.
        let today = porta::clock::today_in_rome(&porta::clock::SystemClock);
        let lazio = StpEniCode {
            code: "ENI1201010000042".into(),
            issued_on: porta::folder::Day(porta::calendar::plus_days(today, -30)),
            expires_on: porta::folder::Day(porta::calendar::plus_months(today, 5)),
        };
        let details = PersonDetails { eni: Some(lazio.clone()), ..person("Popescu", "Z129") };
        let romanian = state.create_person(&details).unwrap();

        // The default: valid only where issued, so Puglia issues its own.
        let offer = &state.open_folder(romanian).unwrap().stp_eni[1];
        assert!(offer.allowed && offer.reason.contains("di un'altra regione"), "{}", offer.reason);
        // The Ambito's administrator says ENI codes hold nationwide: the Lazio code is hers.
        let mut input = crate::administration::SettingsInput {
            ambito_name: "Ambito di Galatina".into(),
            lock_after_minutes: 10,
            data_controller: None,
            renewal_window_days: 60,
            eni_validity: EniValidity::Nationwide,
        };
        state.save_settings(input.clone()).unwrap();
        let offer = &state.open_folder(romanian).unwrap().stp_eni[1];
        assert!(!offer.allowed, "{}", offer.reason);
        let refused = state.issue_stp_eni_code(romanian, StpEniKind::Eni).unwrap_err();
        assert_eq!(refused.code, ErrorCode::StpEniRefused);
        assert_eq!(state.open_folder(romanian).unwrap().folder.person.details.eni, Some(lazio.clone()));
        input.eni_validity = EniValidity::IssuingRegion;
        state.save_settings(input).unwrap();
        let issued = state.issue_stp_eni_code(romanian, StpEniKind::Eni).unwrap();
        assert_eq!(issued.code, "ENI1601160000001");
        let after = state.open_folder(romanian).unwrap();
        assert_eq!(after.stp_eni[1].earlier, vec![lazio], "the Lazio code stays in the history");
    }
}
