package org.groupcrm.core.internal.persistence;

import java.time.Clock;
import java.time.Duration;

/** The clock for stored timestamps: microsecond ticks, as PostgreSQL stores them, so what a write returns is what a read returns. */
public final class DbClock {
    public static final Clock UTC = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));

    private DbClock() {
    }
}
