/**
 * The application menu, in Chinese (default) or English: 文件 / 编辑 / 视图 / 帮助.
 * Only a type import from electron, so the template can be checked in plain Node; main.ts
 * builds it with Menu.buildFromTemplate.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuLocale } from './options';

export interface MenuActions {
  /** Opens the data folder in the system's file manager. */
  openDataFolder(): void;
  /** Shows the 关于 dialog. */
  about(): void;
  /** Developer tools only in a development build, never in the packaged app. */
  devTools: boolean;
}

const labels = {
  'zh-CN': {
    file: '文件(&F)',
    openDataFolder: '打开数据文件夹',
    quit: '退出',
    edit: '编辑(&E)',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    view: '视图(&V)',
    reload: '重新加载',
    devTools: '开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    fullScreen: '全屏',
    help: '帮助(&H)',
    about: '关于',
  },
  en: {
    file: '&File',
    openDataFolder: 'Open Data Folder',
    quit: 'Quit',
    edit: '&Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    view: '&View',
    reload: 'Reload',
    devTools: 'Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullScreen: 'Full Screen',
    help: '&Help',
    about: 'About',
  },
} satisfies Record<MenuLocale, Record<string, string>>;

export function menuTemplate(locale: MenuLocale, actions: MenuActions): MenuItemConstructorOptions[] {
  const l = labels[locale];
  return [
    {
      label: l.file,
      submenu: [
        { label: l.openDataFolder, click: () => actions.openDataFolder() },
        { type: 'separator' },
        { label: l.quit, role: 'quit', accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    {
      label: l.edit,
      submenu: [
        { label: l.undo, role: 'undo' },
        { label: l.redo, role: 'redo' },
        { type: 'separator' },
        { label: l.cut, role: 'cut' },
        { label: l.copy, role: 'copy' },
        { label: l.paste, role: 'paste' },
        { label: l.selectAll, role: 'selectAll' },
      ],
    },
    {
      label: l.view,
      submenu: [
        { label: l.reload, role: 'reload' },
        ...(actions.devTools ? [{ label: l.devTools, role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { label: l.resetZoom, role: 'resetZoom' },
        { label: l.zoomIn, role: 'zoomIn' },
        { label: l.zoomOut, role: 'zoomOut' },
        { type: 'separator' },
        { label: l.fullScreen, role: 'togglefullscreen' },
      ],
    },
    {
      label: l.help,
      submenu: [{ label: l.about, click: () => actions.about() }],
    },
  ];
}
