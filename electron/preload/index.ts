import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Envelope } from '../../shared/ipc/contract';
import { buildWindowApi } from './window-api';

// Sandboxed preload: the page gets window.assetDesk with the contract's functions only.
contextBridge.exposeInMainWorld(
  'assetDesk',
  buildWindowApi(
    (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Envelope<unknown>>,
    (event, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(event, forward);
      return () => {
        ipcRenderer.removeListener(event, forward);
      };
    },
  ),
);
