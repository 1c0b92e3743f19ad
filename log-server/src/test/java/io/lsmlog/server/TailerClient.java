package io.lsmlog.server;

import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.RemoteLog;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A client JVM that tails the whole log from sequence 0 until it has {@code expected} entries,
 * checking on the way that sequences rise and that each key's values count 0, 1, 2, ... (the order
 * its writer appended them); prints "tailed N" or the first fault.
 */
public final class TailerClient {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        long expected = Long.parseLong(args[1]);
        Map<String, Integer> nextPerKey = new HashMap<>();
        long n = 0;
        long lastSequence = -1;
        try (RemoteLog log = LogClient.open(url);
                LogIterator tail = log.tail(KeyRange.all(), 0)) {
            System.out.println("tailing");
            while (n < expected) {
                LogEntry e = tail.next();
                if (e.sequence() <= lastSequence) {
                    System.out.println(
                            "fault: sequence " + e.sequence() + " after " + lastSequence);
                    return;
                }
                lastSequence = e.sequence();
                String key = e.keyString();
                int want = nextPerKey.getOrDefault(key, 0);
                if (!e.valueString().equals(key + "-" + want)) {
                    System.out.println(
                            "fault: key "
                                    + key
                                    + " got "
                                    + e.valueString()
                                    + ", want "
                                    + key
                                    + "-"
                                    + want);
                    return;
                }
                nextPerKey.put(key, want + 1);
                n++;
            }
        }
        System.out.println("tailed " + n + " keys " + nextPerKey.size());
    }
}
