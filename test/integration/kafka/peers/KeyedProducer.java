import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The official Java producer with its default partitioner (no partitioner.class set), as a
 * peer for the partitioning tests. Reads "topic\tkey\tvalue" lines from stdin, sends each keyed
 * record and waits for its ack, and prints "topic\tkey\tpartition" for each, in order.
 * Usage: java -cp <kafka-clients jars>:<dir> KeyedProducer <bootstrap servers>
 */
public final class KeyedProducer {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "java-keyed-producer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) continue;
        String[] fields = line.split("\t", 3);
        RecordMetadata sent =
            producer.send(new ProducerRecord<>(fields[0], fields[1], fields[2])).get();
        out.append(fields[0]).append('\t').append(fields[1]).append('\t')
            .append(sent.partition()).append('\n');
      }
    }
    System.out.print(out);
    System.out.flush();
  }
}
