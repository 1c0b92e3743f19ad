package io.lsmlog.flink.table;

import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * The columns of a table that hold an entry's key bytes: the {@code key.fields} column when the key
 * is stored raw (no {@code key.format}, or {@code 'raw'}), and the column reading the {@code key}
 * metadata. Predicates on either can narrow a scan to key ranges.
 *
 * @param rawKeyField the raw {@code key.fields} column, or null
 * @param metadataColumn the column declared {@code METADATA FROM 'key'}, or null
 */
record KeyColumns(@Nullable String rawKeyField, @Nullable String metadataColumn)
        implements Serializable {
    static final KeyColumns NONE = new KeyColumns(null, null);

    boolean isKey(String column) {
        return column.equals(rawKeyField) || column.equals(metadataColumn);
    }

    boolean isMetadata(String column) {
        return column.equals(metadataColumn);
    }
}
