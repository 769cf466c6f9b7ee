package org.groupcrm.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** {@link LoginThrottle}: lockout after repeated failures, for a while, per login. */
class LoginThrottleTest {

    /** A clock the test moves. */
    private static final class Manual extends Clock {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final Manual clock = new Manual();
    private final LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(15), Duration.ofMinutes(15), clock);

    @Test
    void fiveFailuresLockTheLoginForFifteenMinutesFromTheLast() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("li.wei");
            clock.now = clock.now.plusSeconds(10);
        }
        assertFalse(throttle.lockedFor("li.wei").isPresent());
        throttle.failed("Li.Wei");
        assertEquals(Duration.ofMinutes(15), throttle.lockedFor("li.wei").orElseThrow());
        clock.now = clock.now.plus(Duration.ofMinutes(14));
        assertEquals(Duration.ofMinutes(1), throttle.lockedFor("li.wei").orElseThrow());
        assertFalse(throttle.lockedFor("zhang.min").isPresent());
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertFalse(throttle.lockedFor("li.wei").isPresent());
    }

    @Test
    void failuresSpreadBeyondTheWindowDoNotLock() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("li.wei");
            clock.now = clock.now.plus(Duration.ofMinutes(4));
        }
        assertFalse(throttle.lockedFor("li.wei").isPresent());
    }

    @Test
    void aSuccessfulSignInClearsTheCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("li.wei");
        }
        throttle.succeeded("li.wei");
        throttle.failed("li.wei");
        assertFalse(throttle.lockedFor("li.wei").isPresent());
        for (int i = 0; i < 4; i++) {
            throttle.failed("li.wei");
        }
        assertTrue(throttle.lockedFor("li.wei").isPresent());
    }
}
