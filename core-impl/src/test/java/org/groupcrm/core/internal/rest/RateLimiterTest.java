package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** {@link RateLimiter}: a burst, then the refill rate, per subsidiary. */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(10, 20, now::get);

    @Test
    void aBurstPassesThenTheRateDecides() {
        for (int i = 0; i < 20; i++) {
            assertEquals(0, limiter.acquire("SH"), "request " + i);
        }
        assertEquals(1, limiter.acquire("SH"));
        now.addAndGet(100_000_000L); // 0.1 s refills one token
        assertEquals(0, limiter.acquire("SH"));
        assertTrue(limiter.acquire("SH") >= 1);
    }

    @Test
    void subsidiariesHaveTheirOwnBuckets() {
        for (int i = 0; i < 20; i++) {
            limiter.acquire("SH");
        }
        assertTrue(limiter.acquire("SH") >= 1);
        assertEquals(0, limiter.acquire("BJ"));
    }

    @Test
    void aBucketNeverHoldsMoreThanTheBurst() {
        now.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 20; i++) {
            assertEquals(0, limiter.acquire("SH"));
        }
        assertTrue(limiter.acquire("SH") >= 1);
    }

    @Test
    void zeroSwitchesItOff() {
        RateLimiter off = new RateLimiter(0, 0, now::get);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, off.acquire("SH"));
        }
    }
}
