export * from './catalog';
export * from './envelope';
export * from './identity';
export * from './inventory';
export * from './names';
export * from './order';
export * from './payment';
export * from './registry';
