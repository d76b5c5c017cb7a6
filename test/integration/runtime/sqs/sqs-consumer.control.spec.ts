import type { MessageBusModuleOptions } from 'nestjs-message-bus';
import { uniqueName } from '../../../support/broker-environment';
import { describeConsumerControl } from '../../../support/consumer-control-suite';
import { emulatorSqsOptions, integrationClient } from '../../sqs/sqs-test-kit';

/**
 * Consumer control against the real ElasticMQ: pause stops receives without losing a
 * message (what a long poll open at the pause brings is given back), autoStart, consume: false
 * across two apps, stop(name). Long polls of 2 s, so that a receive is open at every pause.
 */
describeConsumerControl({
  transport: 'sqs',
  quietMs: 2_500,
  maxInFlight: 10,
  sources: async () => {
    const client = integrationClient();
    const payments = uniqueName('control-payments');
    const statuses = uniqueName('control-statuses');
    try {
      await client.createQueue(payments, { VisibilityTimeout: '30' });
      await client.createQueue(statuses, { VisibilityTimeout: '30' });
    } finally {
      await client.close();
    }
    return {
      payments,
      statuses,
      paymentsConsumer: `sqs:${payments}`,
      statusesConsumer: `sqs:${statuses}`,
      options: ({ module = {}, paymentsAutoStart } = {}): MessageBusModuleOptions => ({
        sqs: emulatorSqsOptions(),
        consumers: {
          sqs: [
            {
              queue: payments,
              waitTimeSeconds: 2,
              // maxInFlight below: at most this many run when a pause comes.
              concurrency: 10,
              ...(paymentsAutoStart === undefined ? {} : { autoStart: paymentsAutoStart }),
            },
            { queue: statuses, waitTimeSeconds: 2 },
          ],
        },
        shutdownTimeoutMs: 5_000,
        ...module,
      }),
    };
  },
});
