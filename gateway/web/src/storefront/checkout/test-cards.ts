/** The payment service's test tokens the checkout offers, and what each one makes happen. */
export const testCards = [
  { token: 'tok_visa', label: 'Approved', effect: 'The payment is authorized.' },
  { token: 'tok_chargeDeclined', label: 'Declined', effect: 'The card is declined.' },
  {
    token: 'tok_insufficientFunds',
    label: 'Insufficient funds',
    effect: 'Declined for insufficient funds.',
  },
  {
    token: 'tok_processingError',
    label: 'Processing error',
    effect: 'The processor fails; the shop retries, then gives up.',
  },
] as const;

export type TestCardToken = (typeof testCards)[number]['token'];
