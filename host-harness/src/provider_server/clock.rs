//! The providers' clock: real time, optionally sped up, so a status callback the simulation schedules a
//! minute after a send (`read`) can arrive within a second in a test. Instants are epoch milliseconds on
//! the simulated clock; it starts at the wall clock's now and runs `speed` times as fast.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A clock that starts at the wall clock's time and runs `speed` times as fast.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    origin_real: Instant,
    origin_ms: i64,
    speed: f64,
}

impl Clock {
    /// Start now. `speed` 1 is real time; 60 turns a simulated minute into a real second. A speed that
    /// is not a positive number is taken as 1.
    pub fn start(speed: f64) -> Self {
        let origin_ms =
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
        let speed = if speed.is_finite() && speed > 0.0 { speed } else { 1.0 };
        Self { origin_real: Instant::now(), origin_ms, speed }
    }

    /// The simulated now, in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        let elapsed = self.origin_real.elapsed().as_secs_f64() * 1000.0 * self.speed;
        self.origin_ms + elapsed as i64
    }

    /// How long to wait in real time until the simulated instant `at` (zero when it has passed).
    pub fn real_wait_until(&self, at: i64) -> Duration {
        let ahead = (at - self.now_ms()).max(0) as f64 / self.speed;
        Duration::from_secs_f64(ahead / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn a_faster_clock_runs_ahead_and_waits_less() {
        let fast = Clock::start(1000.0);
        let slow = Clock::start(1.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        // 20 ms of real time is at least 20 s on the fast clock, and about 20 ms on the real one.
        assert!(fast.now_ms() - slow.now_ms() >= 19_000, "{} vs {}", fast.now_ms(), slow.now_ms());
        let wait = fast.real_wait_until(fast.now_ms() + 60_000);
        assert!(wait <= std::time::Duration::from_millis(60), "{wait:?}");
        assert_eq!(slow.real_wait_until(0), std::time::Duration::ZERO, "a past instant needs no wait");
        assert_eq!(Clock::start(-3.0).speed, 1.0, "a speed that is not positive is real time");
    }
}
