//! Hybrid logical clocks: timestamps that order every write across devices.
//!
//! An HLC is the wall-clock time in milliseconds, a counter for writes within the same
//! millisecond (or while the wall clock lags behind a time already seen), and the device id
//! that breaks ties. Comparing two HLCs compares those three in order, so every replica
//! picks the same last writer.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::Clock;

/// How far ahead of this computer's clock a timestamp may be before it is refused.
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

/// The largest counter the text form holds (eight digits). A clock that reaches it moves on
/// to the next millisecond: a timestamp someone else made with this counter (a crafted entry)
/// never makes the next one unreadable.
pub const MAX_COUNTER: u32 = 99_999_999;

/// One point in hybrid-logical time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch.
    pub wall_ms: u64,
    /// Writes at the same `wall_ms`.
    pub counter: u32,
    /// The device that made it.
    pub device: Uuid,
}

/// A timestamp too far in the future: some computer's clock is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a timestamp is {ahead_ms} ms ahead of this computer's clock")]
pub struct ClockDrift {
    /// How far ahead it is.
    pub ahead_ms: u64,
}

impl Hlc {
    /// The text form, which sorts as the timestamps do: `wall-counter-device`, fixed width.
    pub fn encode(&self) -> String {
        format!("{:013}-{:08}-{}", self.wall_ms, self.counter, self.device.simple())
    }
}

/// The binary forms a store keeps, big-endian so that the bytes sort as the timestamps do.
impl Hlc {
    /// Wall time and counter (12 bytes), without the device: the change log keeps each
    /// entry's own timestamp so, beside the entry's device.
    pub fn stamp(&self) -> [u8; 12] {
        let mut bytes = [0; 12];
        bytes[..8].copy_from_slice(&self.wall_ms.to_be_bytes());
        bytes[8..].copy_from_slice(&self.counter.to_be_bytes());
        bytes
    }

    /// The timestamp of `stamp` (see [`Hlc::stamp`]) made by `device`.
    pub fn from_stamp(stamp: &[u8], device: Uuid) -> Result<Self, NotAnHlc> {
        let stamp: &[u8; 12] = stamp.try_into().map_err(|_| NotAnHlc)?;
        let wall_ms = u64::from_be_bytes(stamp[..8].try_into().expect("eight bytes"));
        let counter = u32::from_be_bytes(stamp[8..].try_into().expect("four bytes"));
        Ok(Hlc { wall_ms, counter, device })
    }

    /// The whole timestamp in 28 bytes: [`Hlc::stamp`], then the device.
    pub fn to_bytes(&self) -> [u8; 28] {
        let mut bytes = [0; 28];
        bytes[..12].copy_from_slice(&self.stamp());
        bytes[12..].copy_from_slice(self.device.as_bytes());
        bytes
    }

    /// The timestamp of [`Hlc::to_bytes`]'s bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, NotAnHlc> {
        if bytes.len() != 28 {
            return Err(NotAnHlc);
        }
        Hlc::from_stamp(&bytes[..12], Uuid::from_slice(&bytes[12..]).map_err(|_| NotAnHlc)?)
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// Text that is not an encoded HLC.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a hybrid logical timestamp")]
pub struct NotAnHlc;

impl FromStr for Hlc {
    type Err = NotAnHlc;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.splitn(3, '-');
        let (Some(wall), Some(counter), Some(device)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NotAnHlc);
        };
        if wall.len() != 13 || counter.len() != 8 {
            return Err(NotAnHlc);
        }
        Ok(Hlc {
            wall_ms: wall.parse().map_err(|_| NotAnHlc)?,
            counter: counter.parse().map_err(|_| NotAnHlc)?,
            device: Uuid::try_parse(device).map_err(|_| NotAnHlc)?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

/// The HLC of one device: hands out increasing timestamps and learns from others'.
#[derive(Debug, Clone)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// A clock for `device` that has already seen `last` (the newest timestamp in its store).
    pub fn new(device: Uuid, last: Option<Hlc>) -> Self {
        Self { last: last.map_or(Hlc { wall_ms: 0, counter: 0, device }, |last| Hlc { device, ..last }) }
    }

    /// A new timestamp, later than every one this clock has made or seen.
    pub fn tick(&mut self, clock: &dyn Clock) -> Hlc {
        let now = clock.now_ms();
        self.last = if now > self.last.wall_ms {
            Hlc { wall_ms: now, counter: 0, device: self.last.device }
        } else if self.last.counter >= MAX_COUNTER {
            Hlc { wall_ms: self.last.wall_ms + 1, counter: 0, device: self.last.device }
        } else {
            Hlc { counter: self.last.counter + 1, ..self.last }
        };
        self.last
    }

    /// Takes in a timestamp from another device, refusing one too far in the future.
    pub fn observe(&mut self, seen: Hlc, clock: &dyn Clock) -> Result<(), ClockDrift> {
        let now = clock.now_ms();
        if seen.wall_ms > now.saturating_add(MAX_DRIFT_MS) {
            return Err(ClockDrift { ahead_ms: seen.wall_ms - now });
        }
        if (seen.wall_ms, seen.counter) > (self.last.wall_ms, self.last.counter) {
            self.last = Hlc { device: self.last.device, ..seen };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::clock::ManualClock;

    proptest! {
        #[test]
        fn the_binary_forms_sort_as_the_timestamps_and_read_back(
            a in (0..10_000_000_000_000u64, 0..=MAX_COUNTER, any::<u128>()),
            b in (0..10_000_000_000_000u64, 0..=MAX_COUNTER, any::<u128>()),
        ) {
            let hlc = |(wall_ms, counter, device): (u64, u32, u128)| Hlc { wall_ms, counter, device: Uuid::from_u128(device) };
            let (a, b) = (hlc(a), hlc(b));
            prop_assert_eq!(a.to_bytes().cmp(&b.to_bytes()), a.cmp(&b));
            prop_assert_eq!(Hlc::from_bytes(&a.to_bytes()), Ok(a));
            prop_assert_eq!(Hlc::from_stamp(&a.stamp(), a.device), Ok(a));
            if a.device == b.device {
                prop_assert_eq!(a.stamp().cmp(&b.stamp()), a.cmp(&b));
            }
        }
    }

    #[test]
    fn ticks_increase_even_when_the_wall_clock_goes_back() {
        let clock = ManualClock::at(1_000_000);
        let mut hlc = HlcClock::new(Uuid::now_v7(), None);
        let a = hlc.tick(&clock);
        let b = hlc.tick(&clock);
        clock.set(500_000);
        let c = hlc.tick(&clock);
        assert!(a < b && b < c, "{a} {b} {c}");
        assert_eq!(c.wall_ms, 1_000_000);
    }

    #[test]
    fn a_counter_at_its_largest_moves_the_clock_to_the_next_millisecond() {
        let clock = ManualClock::at(1_000_000);
        let mut hlc = HlcClock::new(Uuid::now_v7(), None);
        let crafted = Hlc { wall_ms: 1_000_000, counter: MAX_COUNTER, device: Uuid::now_v7() };
        hlc.observe(crafted, &clock).unwrap();
        let next = hlc.tick(&clock);
        assert!(next > crafted, "{next} after {crafted}");
        assert_eq!((next.wall_ms, next.counter), (1_000_001, 0));
        assert_eq!(next.encode().parse::<Hlc>(), Ok(next), "still readable");
    }

    #[test]
    fn a_timestamp_from_the_far_future_is_refused_and_not_learnt() {
        let clock = ManualClock::at(1_000_000);
        let mut hlc = HlcClock::new(Uuid::now_v7(), None);
        let future = Hlc { wall_ms: 1_000_000 + MAX_DRIFT_MS + 1, counter: 0, device: Uuid::now_v7() };
        assert_eq!(hlc.observe(future, &clock), Err(ClockDrift { ahead_ms: MAX_DRIFT_MS + 1 }));
        assert_eq!(hlc.tick(&clock).wall_ms, 1_000_000);
    }

    #[test]
    fn after_seeing_a_later_timestamp_the_next_tick_is_later_still() {
        let clock = ManualClock::at(1_000_000);
        let mut hlc = HlcClock::new(Uuid::now_v7(), None);
        let seen = Hlc { wall_ms: 1_000_000 + 60_000, counter: 7, device: Uuid::now_v7() };
        hlc.observe(seen, &clock).unwrap();
        let next = hlc.tick(&clock);
        assert!(next > seen);
        assert_eq!((next.wall_ms, next.counter), (seen.wall_ms, 8));
    }

    proptest! {
        #[test]
        fn text_order_is_timestamp_order(
            a in (0u64..9_999_999_999_999, any::<u32>().prop_map(|c| c % 100_000_000), any::<u128>()),
            b in (0u64..9_999_999_999_999, any::<u32>().prop_map(|c| c % 100_000_000), any::<u128>()),
        ) {
            let a = Hlc { wall_ms: a.0, counter: a.1, device: Uuid::from_u128(a.2) };
            let b = Hlc { wall_ms: b.0, counter: b.1, device: Uuid::from_u128(b.2) };
            prop_assert_eq!(a.cmp(&b), a.encode().cmp(&b.encode()));
            prop_assert_eq!(a.encode().parse::<Hlc>().unwrap(), a);
        }
    }
}
