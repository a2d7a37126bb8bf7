import type { Door } from '@shop/service-kit';
import type { corsHeaders } from '../cors';
import type { CheckoutGate } from './checkout-gate';
import type { NewWorkGate } from './new-work-gate';

export interface GatewayDoorParts {
  newWorkGate: NewWorkGate;
  checkoutGate: CheckoutGate;
  /** Sets the CORS headers for an allowed origin (cors.ts), so that a browser can read a refusal. */
  corsHeaders?: ReturnType<typeof corsHeaders>;
}

/**
 * What the gateway refuses before its app sees a request: new work while the shop is behind, and
 * a known shopper's checkout while the order service reports full (decision 0005). Under overload
 * these refusals are most of the requests it answers, so each must cost as little as possible:
 * at the door, no middleware runs for them (service-kit's door.ts).
 */
export function gatewayDoor({ newWorkGate, checkoutGate, corsHeaders }: GatewayDoorParts): Door {
  return (req, res) => {
    const refusal = newWorkGate.door(req, res) ?? checkoutGate.door(req, res);
    if (refusal) corsHeaders?.(req, res);
    return refusal;
  };
}
