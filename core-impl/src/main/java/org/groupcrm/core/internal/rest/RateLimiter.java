package org.groupcrm.core.internal.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a subsidiary): up to {@code burst} requests at once, refilled at {@code perSecond}. One
 * subsidiary's batch job cannot take the service away from the others. Thread-safe; per node, in memory.
 */
final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(double perSecond, double burst, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
    }

    /** @return 0 when a request of {@code key} may go now, else the seconds until it may (at least 1) */
    long acquire(String key) {
        if (perSecond <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(burst, nanos.getAsLong())).take(perSecond, burst, nanos.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized long take(double perSecond, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }
}
