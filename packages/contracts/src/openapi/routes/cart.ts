import { addCartItemBodySchema, cartSchema, setCartItemQuantityBodySchema } from '../../cart';
import { productIdParamsSchema } from '../../common';
import { exampleShippingAddress } from '../../orders';
import type { ApiRoute } from '../route';

const tag = 'Cart';
const cartResponse = { status: 200, description: 'The cart after the change', schema: cartSchema };

export const cartRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/cart',
    auth: 'user',
    operationId: 'getCart',
    summary: 'The caller’s cart',
    description: 'Served from product snapshots when the catalog is unreachable.',
    tag,
    success: { status: 200, description: 'The cart', schema: cartSchema },
  },
  {
    method: 'POST',
    path: '/api/cart/items',
    auth: 'user',
    operationId: 'addCartItem',
    summary: 'Add a product; an existing line grows by the quantity',
    tag,
    body: addCartItemBodySchema,
    success: {
      ...cartResponse,
      links: {
        setCartItemQuantity: {
          operationId: 'setCartItemQuantity',
          description: 'Change the line’s quantity',
          parameters: { productId: '$request.body#/productId' },
        },
        removeCartItem: {
          operationId: 'removeCartItem',
          description: 'Remove the line',
          parameters: { productId: '$request.body#/productId' },
        },
        placeOrder: {
          operationId: 'placeOrder',
          description: 'Check out with the approved test card',
          requestBody: { shippingAddress: exampleShippingAddress, paymentToken: 'tok_visa' },
        },
      },
    },
    problems: {
      404: 'No such product',
      422: 'The cart would exceed 50 lines or a line 99 units',
    },
  },
  {
    method: 'PUT',
    path: '/api/cart/items/:productId',
    auth: 'user',
    operationId: 'setCartItemQuantity',
    summary: 'Set a line’s quantity; 0 removes it',
    tag,
    params: productIdParamsSchema,
    body: setCartItemQuantityBodySchema,
    success: cartResponse,
    problems: { 404: 'The product is not in the cart' },
  },
  {
    method: 'DELETE',
    path: '/api/cart/items/:productId',
    auth: 'user',
    operationId: 'removeCartItem',
    summary: 'Remove a line',
    tag,
    params: productIdParamsSchema,
    success: cartResponse,
  },
  {
    method: 'DELETE',
    path: '/api/cart',
    auth: 'user',
    operationId: 'clearCart',
    summary: 'Empty the cart',
    tag,
    success: { status: 204, description: 'The cart is empty' },
  },
];
