// Fixture: reports the time the function sees (the runtime's clock on a manual clock).
export const handler = async (event) => ({ ...event, at: new Date().toISOString() });
