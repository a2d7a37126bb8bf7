export { waitFor, type WaitForOptions } from './wait-for';
export { uniqueName, uniqueWord } from './unique-name';
export { openEventStream, type OpenedStream, type ReceivedEvent } from './event-stream';
