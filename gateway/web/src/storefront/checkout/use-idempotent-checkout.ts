import type { Order, ShippingAddress } from '@shop/contracts';
import { useCallback, useRef, useState } from 'react';
import { isRetryable } from '../../ui/problem-message';
import { useAuthedApi } from '../session/use-authed-api';

export interface PlaceOrderInput {
  shippingAddress: ShippingAddress;
  paymentToken: string;
}

interface Attempt {
  key: string;
  /** The body this key was first sent with: a changed body is a new attempt, with a new key. */
  body: string;
}

/**
 * POST /api/orders with an Idempotency-Key per checkout attempt. The key is made when an attempt
 * starts and kept while that attempt may be retried (no answer, 429, 503), so a retry can never
 * place a second order; any other answer ends the attempt. One request at a time: a double click
 * sends one request (the ref guards it before React has re-rendered the disabled button).
 */
export function useIdempotentCheckout() {
  const call = useAuthedApi();
  const attempt = useRef<Attempt | undefined>(undefined);
  const inFlight = useRef(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [retrying, setRetrying] = useState(false);

  const placeOrder = useCallback(
    async (input: PlaceOrderInput): Promise<Order | undefined> => {
      if (inFlight.current) return undefined;
      inFlight.current = true;
      const body = JSON.stringify(input);
      const sameAttempt = attempt.current !== undefined && attempt.current.body === body;
      if (!sameAttempt) attempt.current = { key: crypto.randomUUID(), body };
      const { key } = attempt.current!;
      setRetrying(sameAttempt);
      setSubmitting(true);
      setFailure(undefined);
      try {
        const order = await call<Order>('/api/orders', {
          method: 'POST',
          body: input,
          headers: { 'Idempotency-Key': key },
        });
        attempt.current = undefined;
        return order;
      } catch (error) {
        if (!isRetryable(error)) attempt.current = undefined;
        setFailure(error);
        return undefined;
      } finally {
        inFlight.current = false;
        setSubmitting(false);
      }
    },
    [call],
  );

  return {
    placeOrder,
    submitting,
    failure,
    /** Whether the last failure left an attempt that "Place order" will retry with the same key. */
    canRetrySameAttempt: failure !== undefined && isRetryable(failure),
    /** Whether the request in flight (or last sent) was a retry. */
    retrying,
  };
}
