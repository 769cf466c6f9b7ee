package org.groupcrm.core.internal.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks a login out for a while after repeated wrong passwords, so that passwords cannot be guessed online: after
 * {@code maxFailures} failures within {@code window}, every sign-in of that login is refused, right password or not,
 * until {@code lockout} has passed since the last failure. A successful sign-in clears the failures. Per node, in
 * memory. Thread-safe.
 */
final class LoginThrottle {
    private static final int MAX_TRACKED = 100_000;
    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(int maxFailures, Duration window, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** @return how long {@code login} stays locked out, if it is */
    Optional<Duration> lockedFor(String login) {
        Deque<Instant> f = failures.get(key(login));
        if (f == null) {
            return Optional.empty();
        }
        synchronized (f) {
            Instant now = clock.instant();
            prune(f, now);
            if (f.size() < maxFailures) {
                return Optional.empty();
            }
            Duration left = Duration.between(now, f.peekLast().plus(lockout));
            return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
        }
    }

    void failed(String login) {
        if (failures.size() > MAX_TRACKED) {
            failures.clear(); // a flood of made-up logins must not exhaust memory; real ones start counting again
        }
        Deque<Instant> f = failures.computeIfAbsent(key(login), k -> new ArrayDeque<>());
        synchronized (f) {
            Instant now = clock.instant();
            prune(f, now);
            f.addLast(now);
            while (f.size() > maxFailures) {
                f.removeFirst();
            }
        }
    }

    void succeeded(String login) {
        failures.remove(key(login));
    }

    /** Failures older than the window no longer count, unless they are part of a lockout still running. */
    private void prune(Deque<Instant> f, Instant now) {
        boolean locked = f.size() >= maxFailures && now.isBefore(f.peekLast().plus(lockout));
        if (!locked) {
            while (!f.isEmpty() && f.peekFirst().isBefore(now.minus(window))) {
                f.removeFirst();
            }
        }
    }

    private static String key(String login) {
        return login.toLowerCase(java.util.Locale.ROOT);
    }
}
