/** The widget's stylesheet, inside its shadow root: the host page's CSS cannot reach it, nor ours the page. */
export const CSS = `
:host{all:initial;position:fixed!important;z-index:2147483000;right:0;bottom:0}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1c2024;-webkit-font-smoothing:antialiased;-webkit-text-size-adjust:100%;text-align:left}
button{font:inherit;color:inherit;background:none;border:0;padding:0;margin:0;cursor:pointer;-webkit-tap-highlight-color:transparent}
button:disabled{cursor:default}
:focus{outline:none}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
svg{display:block;flex:none;width:22px;height:22px}
.launch{position:fixed;right:20px;bottom:calc(20px + env(safe-area-inset-bottom,0px));width:60px;height:60px;border-radius:50%;background:var(--a);color:var(--f);display:grid;place-items:center;box-shadow:0 4px 12px rgba(0,0,0,.15),0 12px 28px -8px rgba(0,0,0,.35);transition:transform .18s ease}
.launch:hover{transform:scale(1.06)}.launch:active{transform:scale(.95)}
.launch svg{grid-area:1/1;width:30px;height:30px;transition:opacity .18s,transform .22s}
.ic-x{opacity:0;transform:rotate(-90deg)}
.open .ic-chat{opacity:0;transform:rotate(90deg) scale(.5)}
.open .ic-x{opacity:1;transform:none}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#e5484d;color:#fff;font-size:12px;font-weight:700;line-height:18px;text-align:center;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:calc(92px + env(safe-area-inset-bottom,0px));width:380px;height:min(680px,calc(100vh - 116px));display:flex;flex-direction:column;background:#fff;border-radius:18px;overflow:hidden;box-shadow:0 24px 64px -12px rgba(16,24,40,.3),0 0 0 1px rgba(16,24,40,.06);opacity:0;visibility:hidden;transform:translateY(16px) scale(.98);transform-origin:100% 100%;transition:opacity .2s,transform .2s,visibility 0s .2s}
.open .panel{opacity:1;visibility:visible;transform:none;transition:opacity .2s,transform .2s}
.hd{display:flex;align-items:center;gap:12px;padding:16px 10px 16px 18px;background:var(--a);color:var(--f);flex:none}
.hd :focus-visible{outline-color:currentColor}
.av{width:42px;height:42px;border-radius:50%;display:grid;place-items:center;background:rgba(255,255,255,.18);box-shadow:inset 0 0 0 1px rgba(255,255,255,.25)}
.ht{min-width:0;flex:1}
h2{margin:0;font-size:16.5px;font-weight:650;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{display:flex;align-items:center;gap:6px;font-size:13px;opacity:.9;margin-top:2px}
.sub::before{content:"";width:8px;height:8px;border-radius:50%;background:#3ddc84;box-shadow:0 0 0 2px rgba(255,255,255,.35);flex:none}
.hl{display:flex;align-items:center;gap:5px;padding:6px 9px;border-radius:10px;color:inherit;text-decoration:none;font-size:13px;white-space:nowrap;flex:none;background:rgba(255,255,255,.14)}
.hl:hover{background:rgba(255,255,255,.24)}
.hl svg{width:16px;height:16px}
.x{width:38px;height:38px;border-radius:10px;display:grid;place-items:center;flex:none}
.x:hover{background:rgba(255,255,255,.16)}
.bn{padding:8px 14px;font-size:13px;background:#fff6e6;color:#8a4b00;border-bottom:1px solid #f8dfb5;text-align:center;flex:none}
.list{flex:1;overflow-y:auto;scrollbar-width:thin;scrollbar-color:#cdd1d8 transparent;overscroll-behavior:contain;padding:14px 14px 10px;background:#f5f6f8;display:flex;flex-direction:column}
.list:focus-visible{outline-offset:-2px}
.list:empty::before{content:attr(data-empty);margin:auto;color:#80868f;font-size:14px;text-align:center;padding:24px}
.sep{display:flex;align-items:center;gap:10px;margin:10px 2px 6px;color:#8b9099;font-size:12px}
.sep::before,.sep::after{content:"";flex:1;height:1px;background:#e2e4e8}
.row{display:flex;flex-direction:column;max-width:80%;margin-top:3px}
.me{align-self:flex-end;align-items:flex-end}
.them{align-self:flex-start;align-items:flex-start}
.who{font-size:12px;color:#6b7280;margin:8px 0 3px 4px;font-weight:600}
.bubble{padding:9px 13px;border-radius:18px;white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}
.them .bubble{background:#fff;border:1px solid #e8eaee;border-bottom-left-radius:6px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.me .bubble{background:var(--a);color:var(--f);border-bottom-right-radius:6px}
.bubble a{color:inherit;text-decoration:underline;text-underline-offset:2px}
.them .bubble a{color:#2456d3}
.bubble>*+*{margin-top:6px}
.media{padding:0!important;background:none!important;border:0!important;box-shadow:none!important}
.meta{display:flex;font-size:11.5px;color:#8b9099;margin:3px 6px 6px}
.me[data-state=sent]:has(+.me) .meta,.them:has(+.them) .meta{display:none}
.st:not(:empty)::before{content:"·";margin:0 5px;display:inline-block}
[data-state=failed] .st,[data-state=error] .st{color:#d9363e;font-weight:600}
[data-state=failed] .st,[data-state=failed] .bubble{cursor:pointer}
[data-state=failed] .st{text-decoration:underline}
[data-state=sending] .bubble{opacity:.8}
[data-state=failed] .bubble,[data-state=error] .bubble{opacity:.6}
.choice{display:flex;flex-wrap:wrap;gap:6px;white-space:normal}
.bubble>.choice{margin-top:10px}
.opt{min-width:44px;min-height:44px;padding:0 12px;border-radius:12px;border:1px solid #d6d9de;background:#fff;font-size:14px;font-weight:600;transition:background .15s,color .15s,transform .1s}
.opt:not(:disabled):hover{border-color:var(--a)}
.opt.on{background:var(--a);color:var(--f);border-color:transparent}
.stars{gap:2px}
.stars .opt{width:44px;padding:0;border:0;border-radius:10px;background:none;color:#8b9099;font-size:32px;line-height:44px}
.stars .opt.on{background:none;color:#c77c00}
.stars .opt:not(:disabled):active{transform:scale(.9)}
.choice[data-picked]:not([data-picked=""]) .opt:not(.on){opacity:.45}
.err{font-size:12px;color:#d9363e;margin:-2px 6px 6px;text-align:right;max-width:280px}
.err:empty{display:none}
.imgb{display:block;border-radius:14px;overflow:hidden;background:#e7e9ed;min-width:140px;min-height:100px;max-width:100%;cursor:zoom-in}
.imgb.ld{min-width:0;min-height:0;background:none}
.imgb.broken{cursor:default}
.img{display:block;max-width:100%;max-height:260px}
.file{display:flex;align-items:center;gap:10px;padding:8px 12px 8px 10px;border-radius:12px;background:rgba(16,24,40,.06);text-align:left;max-width:260px;width:100%}
.me .file{background:rgba(255,255,255,.18)}
.fm{min-width:0}
.fn{display:block;font-size:14px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.fs{display:block;font-size:12px;opacity:.75}
.foot{border-top:1px solid #eceef1;background:#fff;flex:none}
.tray{display:flex;gap:8px;padding:10px 12px 0;overflow-x:auto}
.chip{position:relative;display:flex;align-items:center;gap:8px;height:48px;padding:4px 32px 4px 4px;border:1px solid #e2e4e8;border-radius:12px;background:#fff;max-width:210px;flex:none;font-size:13px}
.chip img,.fi{width:38px;height:38px;border-radius:8px;object-fit:cover;display:grid;place-items:center;background:#f1f2f4;color:#6b7280;flex:none}
.cn{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chip.up img,.chip.up .fi{opacity:.45}
.chip.up::after{content:"";position:absolute;left:15px;top:15px;width:16px;height:16px;border:2px solid rgba(16,24,40,.15);border-top-color:var(--a);border-radius:50%;animation:sp .8s linear infinite}
@keyframes sp{to{transform:rotate(1turn)}}
.chip.bad{border-color:#f3b9b9;background:#fff5f5;color:#b42318;cursor:pointer}
.rm{position:absolute;top:50%;right:6px;margin-top:-11px;width:22px;height:22px;border-radius:50%;background:#eef0f3;color:#4b5563;display:grid;place-items:center}
.rm svg{width:12px;height:12px;stroke-width:2.5}
.nt{margin:10px 12px 0;padding:8px 12px;border-radius:10px;background:#fff1f1;color:#b42318;font-size:13px;cursor:pointer}
.comp{display:flex;align-items:flex-end;gap:4px;padding:8px 10px 8px 6px}
textarea{flex:1;min-width:0;height:40px;resize:none;border:0;outline:0!important;background:none;font:inherit;font-size:16px;line-height:22px;max-height:140px;padding:9px 6px;margin:0;color:inherit;overflow-y:auto}
textarea::placeholder{color:#9aa0a8}
.ib{width:40px;height:40px;border-radius:10px;display:grid;place-items:center;color:#6b7280}
.ib:hover{background:#f1f2f4;color:#1c2024}
.send{width:40px;height:40px;border-radius:50%;display:grid;place-items:center;background:var(--a);color:var(--f);transition:opacity .15s,transform .15s}
.send:disabled{opacity:.3}
.send:not(:disabled):hover{transform:scale(1.06)}
.send svg{width:20px;height:20px;stroke-width:2.4}
.safe{display:flex;align-items:center;justify-content:center;gap:6px;padding:8px 14px 9px;font-size:12px;line-height:1.35;color:#4b5563;background:#f5faf7;border-top:1px solid #e3efe8;flex:none}
.safe svg{width:15px;height:15px;color:#15803d}
.rec{position:absolute;inset:0;z-index:2;display:flex;flex-direction:column;background:#f5f6f8}
.rec[hidden]{display:none}
.rh{display:flex;align-items:center;gap:8px;padding:12px 12px;background:#fff;border-bottom:1px solid #eceef1;flex:none}
.rh h3{margin:0;font-size:15px;font-weight:600;flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.rb{padding:6px 10px;border-radius:10px;font-size:13px;background:#eef0f3;color:#1f2330}
.rb:hover{background:#e2e5ea}
.rl{flex:1;overflow-y:auto;padding:10px 12px;display:flex;flex-direction:column;gap:8px}
.ri{display:block;width:100%;text-align:left;padding:10px 12px;border-radius:12px;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.06);color:#1f2330}
.ri:hover{box-shadow:0 1px 4px rgba(0,0,0,.14)}
.ri .rd{font-size:12px;color:#80868f;display:flex;gap:8px;justify-content:space-between}
.ri .rp{font-size:14px;margin-top:2px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tag{font-size:11px;padding:1px 7px;border-radius:8px;background:#e0e7ff;color:#3730a3}
.tag.done{background:#e5e7eb;color:#374151}
.ro{font-size:13px;color:#5b616b;background:#fff;border-top:1px solid #eceef1;padding:10px 14px;flex:none}
.lb{position:absolute;inset:0;z-index:3;display:grid;place-items:center;padding:20px;background:rgba(10,12,16,.9);cursor:zoom-out}
.lb img{max-width:100%;max-height:100%;border-radius:8px}
.drag .list{outline:2px dashed var(--a);outline-offset:-8px}
@media (max-width:479px){
.panel{inset:0;width:auto;height:auto;border-radius:0;transform:translateY(24px);padding:0 env(safe-area-inset-right,0px) 0 env(safe-area-inset-left,0px);background:#f5f6f8}
.hd{padding-top:calc(14px + env(safe-area-inset-top,0px))}
.safe{padding-bottom:calc(9px + env(safe-area-inset-bottom,0px))}
.open .launch{display:none}
.row{max-width:86%}
}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation-duration:0s!important}}`;
