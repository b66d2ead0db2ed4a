//! Where new row and operation ids come from: UUIDv7 (time-ordered), from the system's
//! randomness in use, or from a seed for demo data that must come out the same every time.

use uuid::Uuid;

use crate::clock::Clock;
use crate::seeded::SeededRandom;

/// The source of new ids.
#[derive(Debug, Clone)]
pub enum IdSource {
    /// UUIDv7 from the system clock and randomness, monotonic within this process.
    System,
    /// UUIDv7 from the injected clock and a seeded generator: reproducible.
    Seeded(SeededRandom),
}

impl IdSource {
    /// A new id.
    pub fn next(&mut self, clock: &dyn Clock) -> Uuid {
        match self {
            IdSource::System => Uuid::now_v7(),
            IdSource::Seeded(random) => {
                uuid::Builder::from_unix_timestamp_millis(clock.now_ms(), &random.bytes::<10>()).into_uuid()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn seeded_ids_repeat_and_carry_the_clock() {
        let clock = ManualClock::at(1_795_683_600_000);
        let mut a = IdSource::Seeded(SeededRandom::new(9));
        let mut b = IdSource::Seeded(SeededRandom::new(9));
        let first = a.next(&clock);
        assert_eq!(first, b.next(&clock));
        assert_ne!(first, a.next(&clock));
        assert_eq!(first.get_version_num(), 7);
        let (seconds, _) = first.get_timestamp().unwrap().to_unix();
        assert_eq!(seconds, 1_795_683_600);
    }
}
