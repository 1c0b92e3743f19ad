package io.lsmlog.flink.table;

import io.lsmlog.LogEntry;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

/** The metadata columns of an lsmlog table. */
enum LsmLogMetadata {
    KEY("key", DataTypes.BYTES().notNull(), true),
    SEQUENCE("sequence", DataTypes.BIGINT().notNull(), false),
    SEGMENT("segment", DataTypes.INT().notNull(), false),
    TIMESTAMP("timestamp", DataTypes.TIMESTAMP_LTZ(3).notNull(), true);

    final String key;
    final DataType type;
    final boolean writable;

    LsmLogMetadata(String key, DataType type, boolean writable) {
        this.key = key;
        this.type = type;
        this.writable = writable;
    }

    static LsmLogMetadata of(String key) {
        for (LsmLogMetadata m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown lsmlog metadata key " + key);
    }

    /** The value of this metadata for an entry of the given segment. */
    Object read(LogEntry e, int segment) {
        return switch (this) {
            case KEY -> e.key();
            case SEQUENCE -> e.sequence();
            case SEGMENT -> segment;
            case TIMESTAMP -> TimestampData.fromEpochMillis(e.timestamp());
        };
    }
}
