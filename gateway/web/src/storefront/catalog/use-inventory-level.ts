import type { StockLevel } from '@shop/contracts';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';

export const inventoryRefreshMs = 3000;

export interface InventoryReading {
  level: StockLevel | undefined;
  /** When `level` was read (ms since the epoch). */
  readAt: number | undefined;
  /** The last read's failure; the previous level stays shown, getting older. */
  failure: unknown;
}

/**
 * The authoritative stock level from the inventory service, re-read every few seconds (after
 * each answer, so slow answers never pile up), and at once when the tab becomes visible again.
 */
export function useInventoryLevel(productId: string, refreshKey = 0): InventoryReading {
  const [reading, setReading] = useState<InventoryReading>({
    level: undefined,
    readAt: undefined,
    failure: undefined,
  });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reading = false;

    async function read() {
      if (reading) return;
      clearTimeout(timer);
      reading = true;
      try {
        const level = await api<StockLevel>(`/api/inventory/${productId}`, {
          signal: controller.signal,
        });
        setReading({ level, readAt: Date.now(), failure: undefined });
      } catch (failure) {
        if (controller.signal.aborted) return;
        setReading((previous) => ({ ...previous, failure }));
      } finally {
        reading = false;
      }
      if (!controller.signal.aborted && !document.hidden)
        timer = setTimeout(() => void read(), inventoryRefreshMs);
    }

    function visibilityChanged() {
      if (!document.hidden) void read();
    }

    setReading({ level: undefined, readAt: undefined, failure: undefined });
    void read();
    document.addEventListener('visibilitychange', visibilityChanged);
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', visibilityChanged);
    };
  }, [productId, refreshKey]);

  return reading;
}
