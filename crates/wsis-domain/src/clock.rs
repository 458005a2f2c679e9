//! Where "now" comes from. Code that needs the time takes a `&dyn Clock`; nothing reads the system clock directly,
//! so tests can pin any instant, to the second.

use std::fmt;
use std::sync::Mutex;

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// A source of the current instant.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    /// Now, to the microsecond: the precision PostgreSQL keeps, so a stored instant reads back the same on both
    /// backends.
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that stands still until moved: for tests and simulations. It can also be made to step forward by a
/// fixed amount after each reading, which shows which reading of the clock a decision used.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
    step: Mutex<Duration>,
}

impl FixedClock {
    /// A clock that reads `at` until it is set or advanced.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(at),
            step: Mutex::new(Duration::zero()),
        }
    }

    /// From now on, every reading moves the clock forward by `step` after it is taken (zero: stand still again).
    pub fn step_on_each_reading(&self, step: Duration) {
        *self
            .step
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = step;
    }

    /// The time it reads, without counting as a reading (no step).
    pub fn peek(&self) -> DateTime<Utc> {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = at;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        let step = *self
            .step
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let read = *now;
        *now += step;
        read
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_clock_stands_still_until_moved() {
        let start = Utc
            .with_ymd_and_hms(2025, 3, 14, 22, 59, 59)
            .single()
            .unwrap_or_default();
        let clock = FixedClock::new(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::seconds(1));
        assert_eq!(clock.now(), start + Duration::seconds(1));
        clock.set(start);
        assert_eq!(clock.now(), start);
        clock.step_on_each_reading(Duration::seconds(1));
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now(), start + Duration::seconds(1));
        clock.step_on_each_reading(Duration::zero());
        assert_eq!(clock.now(), start + Duration::seconds(2));
        assert_eq!(clock.now(), start + Duration::seconds(2));
    }
}
