import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * A library contender's app, created and initialised (its consumers started). Only errors are
 * logged, and a configuration error rejects instead of exiting the process, so that the child
 * reports it.
 */
export async function startBenchApp(module: Type): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(module, {
    logger: ['error'],
    abortOnError: false,
  });
  await app.init();
  return app;
}
