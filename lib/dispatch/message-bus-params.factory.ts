import type { ParamData } from '@nestjs/common';
import type { ParamsFactory } from '@nestjs/core/helpers/external-context-creator';

// The values of @nestjs/microservices' RpcParamtype, which its index does not export.
// @Payload() and @Ctx() record these; test/e2e proves the two stay in step.
export const RPC_PAYLOAD_PARAM = 3;
const RPC_CONTEXT = 6;

/**
 * Resolves the microservice parameter decorators on bus handlers: `@Payload()` (optionally
 * with a property name) to the validated payload, `@Ctx()` to the MessageBusContext.
 */
export class MessageBusParamsFactory implements ParamsFactory {
  exchangeKeyForValue(type: number, data: ParamData | undefined, args: unknown[]): unknown {
    if (!args) return null;
    switch (type) {
      case RPC_PAYLOAD_PARAM: {
        const payload = args[0] as Record<string, unknown> | undefined;
        return data && payload ? payload[data as string] : payload;
      }
      case RPC_CONTEXT:
        return args[1];
      default:
        return null;
    }
  }
}
