package io.lsmlog.bench;

import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Scenario "flink-kafka": the connector next to Flink's own Kafka connector on the same records in
 * the same run: DataGen → LsmLogSink vs DataGen → KafkaSink (at-least-once and exactly-once, p=1
 * and p=2, checkpoints every second), and LsmLogSource → discarding vs KafkaSource → discarding
 * (p=1 and p=2; the topic has two partitions, {@code fetch.max.wait.ms=0}). Records: 1,000 keys,
 * 100-byte values.
 */
final class FlinkKafkaBench {
    private FlinkKafkaBench() {}

    /** The generated record's key (FlinkBench.record), for Kafka. */
    static final class KeyOf implements SerializationSchema<Long> {
        @Override
        public byte[] serialize(Long i) {
            return FlinkBench.record(i).key();
        }
    }

    /** The generated record's value, for Kafka. */
    static final class ValueOf implements SerializationSchema<Long> {
        @Override
        public byte[] serialize(Long i) {
            return FlinkBench.record(i).value();
        }
    }

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        long n = quick ? 300_000 : 2_000_000;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", n);
        try (KafkaBroker kafka = KafkaBroker.start(base.resolve("kafka-flink"))) {
            String readTopic = null;
            Path readLog = null;
            for (DeliveryGuarantee g :
                    List.of(DeliveryGuarantee.AT_LEAST_ONCE, DeliveryGuarantee.EXACTLY_ONCE)) {
                for (int p : List.of(1, 2)) {
                    String tag = g + "-p" + p;
                    Path dir = base.resolve("flink-kafka-sink-" + tag);
                    Bench.delete(dir);
                    StreamExecutionEnvironment ours = FlinkBench.env(p);
                    ours.enableCheckpointing(1000);
                    ours.fromSource(
                                    FlinkBench.datagen(n),
                                    WatermarkStrategy.noWatermarks(),
                                    "datagen")
                            .sinkTo(
                                    LsmLogSink.<Long>builder()
                                            .setPath(dir.toString())
                                            .setDeliveryGuarantee(g)
                                            .setSinkId("bench")
                                            .setSerializer((i, ts) -> FlinkBench.record(i))
                                            .build());
                    double oursRate = n / FlinkBench.jobSeconds(ours.execute("lsmlog sink " + tag));

                    String topic = "sink-" + tag.toLowerCase().replace('_', '-');
                    createTopic(kafka, topic, 2);
                    Properties props = new Properties();
                    props.put("transaction.timeout.ms", "600000");
                    props.put("batch.size", "262144");
                    props.put("linger.ms", "5");
                    StreamExecutionEnvironment theirs = FlinkBench.env(p);
                    theirs.enableCheckpointing(1000);
                    theirs.fromSource(
                                    FlinkBench.datagen(n),
                                    WatermarkStrategy.noWatermarks(),
                                    "datagen")
                            .sinkTo(
                                    KafkaSink.<Long>builder()
                                            .setBootstrapServers(kafka.bootstrap())
                                            .setKafkaProducerConfig(props)
                                            .setDeliveryGuarantee(g)
                                            .setTransactionalIdPrefix("bench-" + tag)
                                            .setRecordSerializer(
                                                    KafkaRecordSerializationSchema.<Long>builder()
                                                            .setTopic(topic)
                                                            .setKeySerializationSchema(new KeyOf())
                                                            .setValueSerializationSchema(
                                                                    new ValueOf())
                                                            .build())
                                            .build());
                    double kafkaRate =
                            n / FlinkBench.jobSeconds(theirs.execute("kafka sink " + tag));
                    Bench.row(
                            "Flink sink " + tag + " vs KafkaSink (rec/s)",
                            oursRate,
                            kafkaRate,
                            "rec/s");
                    out.put("sink " + tag + " ours rec/s", Math.round(oursRate));
                    out.put("sink " + tag + " KafkaSink rec/s", Math.round(kafkaRate));
                    out.put("sink " + tag + " ratio", TailBench.round(oursRate / kafkaRate));
                    if (g == DeliveryGuarantee.AT_LEAST_ONCE && p == 1) {
                        readTopic = topic;
                        readLog = dir;
                    } else {
                        Bench.delete(dir);
                    }
                }
            }
            for (int p : List.of(1, 2)) {
                StreamExecutionEnvironment ours = FlinkBench.env(p);
                ours.fromSource(
                                LsmLogSource.<byte[]>builder()
                                        .setPath(readLog.toString())
                                        .setBounded(LsmLogPosition.latest())
                                        .setDeserializer(LsmLogDeserializer.valueAsBytes())
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "lsmlog")
                        .sinkTo(new DiscardingSink<>());
                double oursRate = n / FlinkBench.jobSeconds(ours.execute("lsmlog source p" + p));
                StreamExecutionEnvironment theirs = FlinkBench.env(p);
                theirs.fromSource(
                                KafkaSource.<byte[]>builder()
                                        .setBootstrapServers(kafka.bootstrap())
                                        .setTopics(readTopic)
                                        .setGroupId("bench")
                                        .setStartingOffsets(OffsetsInitializer.earliest())
                                        .setBounded(OffsetsInitializer.latest())
                                        .setProperty("fetch.max.wait.ms", "0")
                                        .setProperty(
                                                "max.partition.fetch.bytes",
                                                String.valueOf(16 << 20))
                                        .setDeserializer(
                                                KafkaRecordDeserializationSchema.valueOnly(
                                                        ByteArrayDeserializer.class))
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "kafka")
                        .sinkTo(new DiscardingSink<>());
                double kafkaRate = n / FlinkBench.jobSeconds(theirs.execute("kafka source p" + p));
                Bench.row(
                        "Flink source p=" + p + " vs KafkaSource (rec/s)",
                        oursRate,
                        kafkaRate,
                        "rec/s");
                out.put("source p" + p + " ours rec/s", Math.round(oursRate));
                out.put("source p" + p + " KafkaSource rec/s", Math.round(kafkaRate));
                out.put("source p" + p + " ratio", TailBench.round(oursRate / kafkaRate));
            }
            Bench.delete(readLog);
        }
        return out;
    }

    static void createTopic(KafkaBroker kafka, String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }
}
