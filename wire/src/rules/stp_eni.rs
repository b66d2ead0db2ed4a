//! STP and ENI codes: the health-access codes for foreigners without a residence permit (STP,
//! Straniero Temporaneamente Presente) and for EU citizens without health cover (ENI, Europeo
//! Non Iscritto). Sixteen characters: the prefix, the region's three digits, the ASL's three
//! digits and a seven-digit progressive number. Valid six months, renewable.

/// Which of the two codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StpEniKind {
    Stp,
    Eni,
}

impl StpEniKind {
    /// Both kinds.
    pub const ALL: [StpEniKind; 2] = [StpEniKind::Stp, StpEniKind::Eni];

    /// The name stored and sent on the wire: `stp` or `eni`.
    pub fn as_str(self) -> &'static str {
        match self {
            StpEniKind::Stp => "stp",
            StpEniKind::Eni => "eni",
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            StpEniKind::Stp => "STP",
            StpEniKind::Eni => "ENI",
        }
    }
}

/// Where an ENI code may be used. Sources disagree (INMP's wiki and some ASLs say the
/// issuing region, others all of Italy), so it is a setting; the default is the narrower
/// reading, which never tells a person more than is sure. An STP code is valid across Italy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum EniValidity {
    /// Only in the region that issued it: a code from another region does not stop this
    /// region issuing its own.
    #[default]
    IssuingRegion,
    /// Anywhere in Italy: a valid code from any region is the person's code.
    Nationwide,
}

/// The highest progressive number: seven digits.
pub const MAX_PROGRESSIVE: u32 = 9_999_999;

/// A well-formed STP or ENI code, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StpEniNumber {
    pub kind: StpEniKind,
    /// The region's code (e.g. `160` for Puglia).
    pub region: String,
    /// The ASL's code within the region.
    pub asl: String,
    pub progressive: u32,
}

/// The part of an STP/ENI code that is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StpEniError {
    #[error("an STP or ENI code has 16 characters")]
    WrongLength,
    #[error("the code must start with STP or ENI")]
    WrongPrefix,
    #[error("after the prefix come 13 digits: region, ASL, progressive number")]
    NotDigits,
}

impl StpEniNumber {
    /// Reads `text` (spaces ignored, any case) as a code of `kind`.
    pub fn parse(text: &str, kind: StpEniKind) -> Result<StpEniNumber, StpEniError> {
        let code: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if code.chars().count() != 16 {
            return Err(StpEniError::WrongLength);
        }
        let Some(digits) = code.strip_prefix(kind.prefix()) else { return Err(StpEniError::WrongPrefix) };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StpEniError::NotDigits);
        }
        Ok(StpEniNumber {
            kind,
            region: digits[..3].to_owned(),
            asl: digits[3..6].to_owned(),
            progressive: digits[6..].parse().expect("seven digits"),
        })
    }

    /// The code as written on the card.
    pub fn code(&self) -> String {
        format!("{}{}{}{:07}", self.kind.prefix(), self.region, self.asl, self.progressive)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn codes_are_read_part_by_part() {
        let code = StpEniNumber::parse("stp 160 116 0004711", StpEniKind::Stp).unwrap();
        assert_eq!((code.region.as_str(), code.asl.as_str(), code.progressive), ("160", "116", 4711));
        assert_eq!(code.code(), "STP1601160004711");
        assert_eq!(StpEniNumber::parse("STP1601160004711", StpEniKind::Eni), Err(StpEniError::WrongPrefix));
        assert_eq!(StpEniNumber::parse("STP16011600047", StpEniKind::Stp), Err(StpEniError::WrongLength));
        assert_eq!(StpEniNumber::parse("STP16011600047A1", StpEniKind::Stp), Err(StpEniError::NotDigits));
    }

    proptest! {
        #[test]
        fn written_codes_read_back(region in 0u32..1000, asl in 0u32..1000, progressive in 0u32..10_000_000, eni in any::<bool>()) {
            let kind = if eni { StpEniKind::Eni } else { StpEniKind::Stp };
            let code = StpEniNumber { kind, region: format!("{region:03}"), asl: format!("{asl:03}"), progressive };
            prop_assert_eq!(StpEniNumber::parse(&code.code(), kind), Ok(code));
        }
    }
}
