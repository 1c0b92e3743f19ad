package io.lsmlog.write;

import io.lsmlog.InvalidArgumentException;
import io.lsmlog.Limits;
import io.lsmlog.Printable;
import io.lsmlog.Record;
import java.util.List;

/**
 * Checks an append against the limits in the caller's thread, before it is queued: a bad append is
 * refused whole with an error naming the record and the limit, and nothing of it is written.
 */
final class AppendValidation {
    private AppendValidation() {}

    /** Validates an append and returns its key+value bytes. */
    static long validate(List<Record> records) {
        if (records == null || records.isEmpty()) {
            throw new InvalidArgumentException("an append needs at least one record");
        }
        if (records.size() > Limits.MAX_BATCH_RECORDS) {
            throw new InvalidArgumentException(
                    "an append holds at most "
                            + Limits.MAX_BATCH_RECORDS
                            + " records, got "
                            + records.size());
        }
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            if (r == null) {
                throw new InvalidArgumentException("record " + i + " is null");
            }
            int k = r.key().length;
            if (k == 0 || k > Limits.MAX_KEY_BYTES) {
                throw new InvalidArgumentException(
                        "record "
                                + i
                                + ": key must be 1.."
                                + Limits.MAX_KEY_BYTES
                                + " bytes, got "
                                + k
                                + (k == 0 ? "" : " (key " + Printable.bytes(r.key()) + ")"));
            }
            if (r.value().length > Limits.MAX_VALUE_BYTES) {
                throw new InvalidArgumentException(
                        "record "
                                + i
                                + " (key "
                                + Printable.bytes(r.key())
                                + "): value must be at most "
                                + Limits.MAX_VALUE_BYTES
                                + " bytes, got "
                                + r.value().length);
            }
            if (r.hasTimestamp() && r.timestamp() < 0) {
                throw new InvalidArgumentException(
                        "record " + i + ": timestamp must be >= 0, got " + r.timestamp());
            }
            bytes += k + r.value().length;
        }
        if (bytes > Limits.MAX_BATCH_BYTES) {
            throw new InvalidArgumentException(
                    "an append holds at most "
                            + Limits.MAX_BATCH_BYTES
                            + " bytes of keys and values, got "
                            + bytes);
        }
        return bytes;
    }
}
