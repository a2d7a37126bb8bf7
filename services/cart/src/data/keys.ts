/** Every key the cart owns, under one prefix (config CART_KEY_PREFIX). */
export function cartKeys(prefix: string) {
  return {
    cart: (customerId: string) => `${prefix}carts:${customerId}`,
    product: (productId: string) => `${prefix}products:${productId}`,
    inbox: (consumer: string, messageId: string) => `${prefix}inbox:${consumer}:${messageId}`,
  };
}

export type CartKeys = ReturnType<typeof cartKeys>;
