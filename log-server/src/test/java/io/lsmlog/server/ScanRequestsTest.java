package io.lsmlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.client.proto.ScanOrder;
import io.lsmlog.client.proto.ScanRequest;
import io.lsmlog.client.wire.Wire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan resumed after any entry gives exactly the rest of the scan, in every order. */
class ScanRequestsTest {
    private static final String PADDING = "x".repeat(200);

    @TempDir Path dir;

    private static List<LogEntry> drain(LogIterator it) {
        List<LogEntry> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void aResumedScanIsTheRestOfTheScan() {
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(16 << 10).build())) {
            for (int b = 0; b < 40; b++) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    batch.add(Record.of("key-" + ((b * 7 + i) % 23), "v" + b + "-" + i + PADDING));
                }
                log.append(batch);
            }
            log.awaitSealing(Duration.ofSeconds(30));
            // The newest segment is still open: resumes cross sealed and open segments alike.
            assertThat(log.segments()).hasSizeGreaterThan(2);
            long frontier = log.nextSequence();
            KeyRange keys = KeyRange.between("key-1".getBytes(), "key-5".getBytes());
            for (ScanOrder order :
                    List.of(ScanOrder.KEY_RANGE, ScanOrder.SEQUENCE, ScanOrder.KEY)) {
                for (SeqRange range : List.of(SeqRange.all(), SeqRange.between(300, 1_700))) {
                    ScanRequest request =
                            ScanRequest.newBuilder()
                                    .setOrder(order)
                                    .setKey(ByteString.copyFromUtf8("key-3"))
                                    .setKeys(Wire.keys(keys))
                                    .setRange(Wire.range(range))
                                    .build();
                    List<LogEntry> all = drain(ScanRequests.open(log, request, frontier));
                    assertThat(all).as("%s %s", order, range).hasSizeGreaterThan(10);
                    for (int i = 0; i < all.size(); i++) {
                        LogEntry after = all.get(i);
                        ScanRequest resumed =
                                request.toBuilder()
                                        .setResume(true)
                                        .setResumeKey(Wire.bytes(after.key()))
                                        .setResumeSequence(after.sequence())
                                        .build();
                        assertThat(drain(ScanRequests.open(log, resumed, frontier)))
                                .as("%s %s after entry %d", order, range, i)
                                .containsExactlyElementsOf(all.subList(i + 1, all.size()));
                    }
                }
            }
        }
    }
}
