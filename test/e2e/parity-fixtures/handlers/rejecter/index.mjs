// Fixture: rejects every order with its own error class, thrown two calls deep.
class OrderRejected extends Error {
  constructor(message) {
    super(message);
    this.name = 'OrderRejected';
  }
}

function checkCredit(order) {
  throw new OrderRejected(`order ${order.orderId} rejected: credit limit`);
}

export const handler = async (event) => checkCredit(event.detail ?? event);
