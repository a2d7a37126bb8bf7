import { AppError, createLogger } from '@shop/service-kit';
import type { AuthorizationRequest, CardProcessor } from '../src/domain/card-processor';
import { chargeCard } from '../src/domain/charge-card';
import { simulatedCardProcessor } from '../src/domain/simulated-processor';

const logger = createLogger({ service: 'payment-test', level: 'silent' });
const policy = { retries: 3, baseDelayMs: 1, maxDelayMs: 2 };

function request(paymentToken: string): AuthorizationRequest {
  return { idempotencyKey: 'order-1', paymentToken, amountCents: 1_000, currency: 'EUR' };
}

describe('the simulated card processor', () => {
  const processor = simulatedCardProcessor({ latencyMs: 0, failureRate: 0 });

  it.each(['tok_visa', 'tok_mastercard'])(
    'when the token is %s, then it approves',
    async (token) => {
      const result = await processor.authorize(request(token));

      expect(result.status).toBe('approved');
      expect(result).toHaveProperty('authorizationCode', expect.stringMatching(/^[0-9A-F]{6}$/));
    },
  );

  it.each([
    ['tok_chargeDeclined', 'PAYMENT_DECLINED'],
    ['tok_insufficientFunds', 'INSUFFICIENT_FUNDS'],
    ['tok_unknownCard', 'PAYMENT_DECLINED'],
  ])('when the token is %s, then it declines with %s', async (token, reason) => {
    await expect(processor.authorize(request(token))).resolves.toEqual({
      status: 'declined',
      reason,
    });
  });

  it('when the token is tok_processingError, then it fails with a retriable error', async () => {
    await expect(processor.authorize(request('tok_processingError'))).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retriable: true,
    });
  });

  it('when the failure rate hits, then an approvable card fails transiently; declines are unaffected', async () => {
    const flaky = simulatedCardProcessor({ latencyMs: 0, failureRate: 0.5, random: () => 0.25 });

    await expect(flaky.authorize(request('tok_visa'))).rejects.toMatchObject({ retriable: true });
    await expect(flaky.authorize(request('tok_chargeDeclined'))).resolves.toMatchObject({
      status: 'declined',
    });
  });

  it('when the failure rate misses, then the card is approved', async () => {
    const flaky = simulatedCardProcessor({ latencyMs: 0, failureRate: 0.5, random: () => 0.75 });

    await expect(flaky.authorize(request('tok_visa'))).resolves.toMatchObject({
      status: 'approved',
    });
  });
});

describe('charging a card', () => {
  /** A processor at the network boundary that fails transiently a given number of times. */
  function failingTimes(failures: number): CardProcessor & { calls: number } {
    return {
      calls: 0,
      authorize() {
        this.calls += 1;
        if (this.calls <= failures) return Promise.reject(new AppError('UPSTREAM_UNAVAILABLE'));
        return Promise.resolve({ status: 'approved', authorizationCode: 'ABC123' });
      },
    };
  }

  it('when the processor recovers within the retries, then the charge is approved and the calls counted', async () => {
    const processor = failingTimes(2);

    const outcome = await chargeCard(processor, request('tok_visa'), policy, logger);

    expect(outcome).toEqual({ status: 'approved', authorizationCode: 'ABC123', attempts: 3 });
  });

  it('when the processor keeps failing, then it is unavailable after retries + 1 calls', async () => {
    const processor = failingTimes(Infinity);

    const outcome = await chargeCard(processor, request('tok_visa'), policy, logger);

    expect(outcome).toEqual({ status: 'unavailable', attempts: 4 });
    expect(processor.calls).toBe(4);
  });

  it('when the processor fails with a bug, then the error propagates without retries', async () => {
    const processor: CardProcessor = {
      authorize: () => Promise.reject(new TypeError('undefined is not a function')),
    };

    await expect(chargeCard(processor, request('tok_visa'), policy, logger)).rejects.toThrow(
      TypeError,
    );
  });
});
