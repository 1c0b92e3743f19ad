package io.lsmlog.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.lsmlog.KeyIterator;
import io.lsmlog.client.proto.KeyBatch;
import io.lsmlog.client.wire.Wire;
import io.lsmlog.client.wire.WireErrors;

/** A key listing as a flow-controlled stream of batches, like {@link ScanStream}. */
final class KeyStream {
    private static final int MAX_KEYS = 4_096;

    private final ServerCallStreamObserver<KeyBatch> out;
    private final KeyIterator keys;
    private boolean done;

    KeyStream(ServerCallStreamObserver<KeyBatch> out, KeyIterator keys) {
        this.out = out;
        this.keys = keys;
    }

    void start() {
        out.setOnCancelHandler(this::cancelled);
        out.setOnReadyHandler(this::pump);
        pump();
    }

    private synchronized void pump() {
        if (done) {
            return;
        }
        try {
            while (out.isReady()) {
                if (!keys.hasNext()) {
                    end();
                    out.onCompleted();
                    return;
                }
                KeyBatch.Builder b = KeyBatch.newBuilder();
                for (int n = 0; n < MAX_KEYS && keys.hasNext(); n++) {
                    b.addKeys(Wire.bytes(keys.next()));
                }
                out.onNext(b.build());
            }
        } catch (RuntimeException e) {
            end();
            out.onError(WireErrors.toStatus(e));
        }
    }

    private synchronized void cancelled() {
        if (!done) {
            end();
        }
    }

    private void end() {
        done = true;
        keys.close();
    }
}
