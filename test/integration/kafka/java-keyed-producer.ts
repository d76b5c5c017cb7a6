import { resolve } from 'node:path';
import { brokerVariable } from '../../support/broker-environment';
import { runJavaPeer } from '../../support/java-peer';

const SOURCE = resolve(__dirname, 'peers/KeyedProducer.java');

/** One keyed record for the Java producer, and where it wrote it. */
export interface JavaKeyedRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

/**
 * Produces the records with the official Java client's default partitioner, one JVM for all,
 * and returns the partition the Java client reported for each, in order.
 */
export async function produceWithJavaClient(
  records: readonly JavaKeyedRecord[],
): Promise<number[]> {
  for (const { topic, key, value } of records) {
    if (/[\t\n\r]/.test(topic + key + value)) throw new Error('no tabs or line breaks, please');
  }
  const output = await runJavaPeer(
    SOURCE,
    'KeyedProducer',
    [brokerVariable('KAFKA_BOOTSTRAP_SERVERS')],
    records.map(({ topic, key, value }) => `${topic}\t${key}\t${value}\n`).join(''),
  );
  const lines = output.split('\n').filter((line) => line !== '');
  if (lines.length !== records.length) {
    throw new Error(`the Java producer reported ${lines.length} of ${records.length} records`);
  }
  return lines.map((line, index) => {
    const [topic, key, partition] = line.split('\t');
    const record = records[index];
    if (topic !== record.topic || key !== record.key) {
      throw new Error(`the Java producer reported ${line} for ${record.topic}/${record.key}`);
    }
    return Number(partition);
  });
}
