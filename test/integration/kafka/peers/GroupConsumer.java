import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The official Java consumer (classic group protocol) as a member of a consumer group, for the
 * mixed-group tests. Offers one strategy, `range` or `roundrobin` (the Java assignor classes),
 * commits what it printed after each poll, and prints one line per event, flushed at once:
 *   assigned:<p>,<p>,...     after each rebalance, the partitions of the topic it now owns
 *   record:<partition>:<offset>:<value>
 *   closed                   once it has committed and left the group
 * It leaves the group when its standard input ends.
 * Usage: java -cp <kafka-clients jars>:<dir> GroupConsumer <bootstrap> <topic> <group> <range|roundrobin>
 */
public final class GroupConsumer {
  public static void main(String[] args) throws Exception {
    String topic = args[1];
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, args[2]);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "java-group-consumer");
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "range".equals(args[3]) ? RangeAssignor.class.getName() : RoundRobinAssignor.class.getName());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());

    AtomicBoolean stop = new AtomicBoolean(false);
    Thread stdin =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                  // Only the end of the input counts.
                }
              } catch (Exception ignored) {
                // A broken pipe ends the input too.
              }
              stop.set(true);
            });
    stdin.setDaemon(true);
    stdin.start();

    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              String owned =
                  consumer.assignment().stream()
                      .filter(tp -> tp.topic().equals(topic))
                      .map(TopicPartition::partition)
                      .sorted()
                      .map(String::valueOf)
                      .collect(Collectors.joining(","));
              emit("assigned:" + owned);
            }
          });
      while (!stop.get()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) continue;
        StringBuilder out = new StringBuilder();
        for (ConsumerRecord<String, String> record : records) {
          out.append("record:").append(record.partition()).append(':').append(record.offset())
              .append(':').append(record.value()).append('\n');
        }
        emit(out.toString().trim());
        consumer.commitSync();
      }
    }
    emit("closed");
  }

  private static synchronized void emit(String lines) {
    System.out.println(lines);
    System.out.flush();
  }
}
