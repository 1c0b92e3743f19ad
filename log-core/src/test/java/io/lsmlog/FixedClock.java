package io.lsmlog;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand: {@code now[0]} is the time in epoch ms. */
final class FixedClock extends Clock {
    private final long[] now;

    FixedClock(long[] now) {
        this.now = now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(now[0]);
    }

    @Override
    public long millis() {
        return now[0];
    }
}
